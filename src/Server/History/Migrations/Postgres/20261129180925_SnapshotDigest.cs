using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SnapshotDigest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "malformedlines",
                table: "snapshots",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<long>(
                name: "digest",
                table: "snapshots",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "digest",
                table: "snapshots");

            migrationBuilder.AlterColumn<int>(
                name: "malformedlines",
                table: "snapshots",
                type: "integer",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint");
        }
    }
}
