using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations
{
    /// <inheritdoc />
    public partial class TieredHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The one-row-per-sample table of the first schema is set aside, not dropped; no release had that schema, and
            // the server no longer reads it.
            migrationBuilder.RenameTable(
                name: "Samples",
                newName: "LegacySamples");

            migrationBuilder.AddColumn<byte[]>(
                name: "Payload",
                table: "Snapshots",
                type: "BLOB",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.CreateTable(
                name: "HistoryState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    RolledUpToSnapshotId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HistoryState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Rollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Tier = table.Column<int>(type: "INTEGER", nullable: false),
                    HostId = table.Column<long>(type: "INTEGER", nullable: false),
                    Probe = table.Column<int>(type: "INTEGER", nullable: false),
                    BucketStartUnixMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Rollups", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "HistoryState",
                columns: new[] { "Id", "RolledUpToSnapshotId" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_Rollups_Tier_BucketStartUnixMs",
                table: "Rollups",
                columns: new[] { "Tier", "BucketStartUnixMs" });

            migrationBuilder.CreateIndex(
                name: "IX_Rollups_Tier_HostId_Probe_BucketStartUnixMs",
                table: "Rollups",
                columns: new[] { "Tier", "HostId", "Probe", "BucketStartUnixMs" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS LegacySamples");

            migrationBuilder.DropTable(
                name: "HistoryState");

            migrationBuilder.DropTable(
                name: "Rollups");

            migrationBuilder.DropColumn(
                name: "Payload",
                table: "Snapshots");

            migrationBuilder.CreateTable(
                name: "Samples",
                columns: table => new
                {
                    SnapshotId = table.Column<long>(type: "INTEGER", nullable: false),
                    KeyId = table.Column<long>(type: "INTEGER", nullable: false),
                    First = table.Column<long>(type: "INTEGER", nullable: false),
                    Second = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Samples", x => new { x.SnapshotId, x.KeyId });
                    table.ForeignKey(
                        name: "FK_Samples_Snapshots_SnapshotId",
                        column: x => x.SnapshotId,
                        principalTable: "Snapshots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }
    }
}
