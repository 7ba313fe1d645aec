using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations
{
    /// <inheritdoc />
    public partial class PackedRawTierAndFoldedTiers : Migration
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

            migrationBuilder.CreateTable(
                name: "RawBlocks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HostId = table.Column<long>(type: "INTEGER", nullable: false),
                    Probe = table.Column<int>(type: "INTEGER", nullable: false),
                    BlockStartUnixMs = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstStartUnixMs = table.Column<long>(type: "INTEGER", nullable: false),
                    LastStartUnixMs = table.Column<long>(type: "INTEGER", nullable: false),
                    SnapshotCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false),
                    Sequences = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RawBlocks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RawBlocks_Hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "Hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "HistoryState",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "DaysFoldedBeforeUnixMs", "HoursFoldedBeforeUnixMs" },
                values: new object[] { 0L, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_RawBlocks_BlockStartUnixMs",
                table: "RawBlocks",
                column: "BlockStartUnixMs");

            migrationBuilder.CreateIndex(
                name: "IX_RawBlocks_HostId_LastSequence_FirstSequence",
                table: "RawBlocks",
                columns: new[] { "HostId", "LastSequence", "FirstSequence" });

            migrationBuilder.CreateIndex(
                name: "IX_RawBlocks_HostId_Probe_BlockStartUnixMs",
                table: "RawBlocks",
                columns: new[] { "HostId", "Probe", "BlockStartUnixMs" },
                unique: true);

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
            migrationBuilder.DropTable(
                name: "RawBlocks");

            migrationBuilder.DropColumn(
                name: "DaysFoldedBeforeUnixMs",
                table: "HistoryState");

            migrationBuilder.DropColumn(
                name: "HoursFoldedBeforeUnixMs",
                table: "HistoryState");
        }
    }
}
