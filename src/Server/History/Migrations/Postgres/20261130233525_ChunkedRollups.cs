using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChunkedRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "mergedtosnapshotid",
                table: "rollups",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "rolluppasstosnapshotid",
                table: "historystate",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "historystate",
                keyColumn: "id",
                keyValue: 1,
                column: "rolluppasstosnapshotid",
                value: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "mergedtosnapshotid",
                table: "rollups");

            migrationBuilder.DropColumn(
                name: "rolluppasstosnapshotid",
                table: "historystate");
        }
    }
}
