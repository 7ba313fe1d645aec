using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BlockSequenceRanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No release packed raw blocks before this one, so there are none to give their sequence ranges to.
            migrationBuilder.DropColumn(
                name: "packedbeforeunixms",
                table: "historystate");

            migrationBuilder.AddColumn<long>(
                name: "firstsequence",
                table: "rawblocks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "lastsequence",
                table: "rawblocks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "ix_rawblocks_hostid_lastsequence_firstsequence",
                table: "rawblocks",
                columns: new[] { "hostid", "lastsequence", "firstsequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_rawblocks_hostid_lastsequence_firstsequence",
                table: "rawblocks");

            migrationBuilder.DropColumn(
                name: "firstsequence",
                table: "rawblocks");

            migrationBuilder.DropColumn(
                name: "lastsequence",
                table: "rawblocks");

            migrationBuilder.AddColumn<long>(
                name: "packedbeforeunixms",
                table: "historystate",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "historystate",
                keyColumn: "id",
                keyValue: 1,
                column: "packedbeforeunixms",
                value: 0L);
        }
    }
}
