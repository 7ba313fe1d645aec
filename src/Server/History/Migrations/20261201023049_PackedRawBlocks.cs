using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations
{
    /// <inheritdoc />
    public partial class PackedRawBlocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PackedBeforeUnixMs",
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
                column: "PackedBeforeUnixMs",
                value: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_RawBlocks_BlockStartUnixMs",
                table: "RawBlocks",
                column: "BlockStartUnixMs");

            migrationBuilder.CreateIndex(
                name: "IX_RawBlocks_HostId_Probe_BlockStartUnixMs",
                table: "RawBlocks",
                columns: new[] { "HostId", "Probe", "BlockStartUnixMs" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RawBlocks");

            migrationBuilder.DropColumn(
                name: "PackedBeforeUnixMs",
                table: "HistoryState");
        }
    }
}
