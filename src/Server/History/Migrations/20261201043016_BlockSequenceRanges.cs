using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations
{
    /// <inheritdoc />
    public partial class BlockSequenceRanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No release packed raw blocks before this one, so there are none to give their sequence ranges to.
            migrationBuilder.DropColumn(
                name: "PackedBeforeUnixMs",
                table: "HistoryState");

            migrationBuilder.AddColumn<long>(
                name: "FirstSequence",
                table: "RawBlocks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LastSequence",
                table: "RawBlocks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_RawBlocks_HostId_LastSequence_FirstSequence",
                table: "RawBlocks",
                columns: new[] { "HostId", "LastSequence", "FirstSequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RawBlocks_HostId_LastSequence_FirstSequence",
                table: "RawBlocks");

            migrationBuilder.DropColumn(
                name: "FirstSequence",
                table: "RawBlocks");

            migrationBuilder.DropColumn(
                name: "LastSequence",
                table: "RawBlocks");

            migrationBuilder.AddColumn<long>(
                name: "PackedBeforeUnixMs",
                table: "HistoryState",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "HistoryState",
                keyColumn: "Id",
                keyValue: 1,
                column: "PackedBeforeUnixMs",
                value: 0L);
        }
    }
}
