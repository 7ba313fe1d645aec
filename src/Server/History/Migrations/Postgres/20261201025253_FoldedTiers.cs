using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FoldedTiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "daysfoldedbeforeunixms",
                table: "historystate",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "hoursfoldedbeforeunixms",
                table: "historystate",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "historystate",
                keyColumn: "id",
                keyValue: 1,
                columns: new[] { "daysfoldedbeforeunixms", "hoursfoldedbeforeunixms" },
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
                name: "daysfoldedbeforeunixms",
                table: "historystate");

            migrationBuilder.DropColumn(
                name: "hoursfoldedbeforeunixms",
                table: "historystate");
        }
    }
}
