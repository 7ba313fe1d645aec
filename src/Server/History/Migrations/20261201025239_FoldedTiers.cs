using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations
{
    /// <inheritdoc />
    public partial class FoldedTiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DaysFoldedBeforeUnixMs",
                table: "HistoryState",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "HoursFoldedBeforeUnixMs",
                table: "HistoryState",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "HistoryState",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "DaysFoldedBeforeUnixMs", "HoursFoldedBeforeUnixMs" },
                values: new object[] { 0L, 0L });

            // Hour and day buckets stored before count as built (they were merged from raw seconds), but for the newest of
            // each, which may still be open: it is built again from its minutes (or hours) once it closes.
            migrationBuilder.Sql(
                """
                UPDATE HistoryState SET
                  HoursFoldedBeforeUnixMs = COALESCE((SELECT MAX(BucketStartUnixMs) FROM Rollups WHERE Tier = 2), 0),
                  DaysFoldedBeforeUnixMs = COALESCE((SELECT MAX(BucketStartUnixMs) FROM Rollups WHERE Tier = 3), 0)
                WHERE Id = 1
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DaysFoldedBeforeUnixMs",
                table: "HistoryState");

            migrationBuilder.DropColumn(
                name: "HoursFoldedBeforeUnixMs",
                table: "HistoryState");
        }
    }
}
