using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SettledBuckets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "settledbeforeunixms",
                table: "historystate",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "settledrevision",
                table: "historystate",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "historystate",
                keyColumn: "id",
                keyValue: 1,
                columns: new[] { "settledbeforeunixms", "settledrevision" },
                values: new object[] { 0L, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "settledbeforeunixms",
                table: "historystate");

            migrationBuilder.DropColumn(
                name: "settledrevision",
                table: "historystate");
        }
    }
}
