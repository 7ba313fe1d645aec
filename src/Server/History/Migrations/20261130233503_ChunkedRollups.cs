using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations
{
    /// <inheritdoc />
    public partial class ChunkedRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "MergedToSnapshotId",
                table: "Rollups",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "RollupPassToSnapshotId",
                table: "HistoryState",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "HistoryState",
                keyColumn: "Id",
                keyValue: 1,
                column: "RollupPassToSnapshotId",
                value: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MergedToSnapshotId",
                table: "Rollups");

            migrationBuilder.DropColumn(
                name: "RollupPassToSnapshotId",
                table: "HistoryState");
        }
    }
}
