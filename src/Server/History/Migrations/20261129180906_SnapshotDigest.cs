using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations
{
    /// <inheritdoc />
    public partial class SnapshotDigest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Digest",
                table: "Snapshots",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Digest",
                table: "Snapshots");
        }
    }
}
