using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PackedRawTierAndFoldedTiers : Migration
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

            migrationBuilder.CreateTable(
                name: "rawblocks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    hostid = table.Column<long>(type: "bigint", nullable: false),
                    probe = table.Column<int>(type: "integer", nullable: false),
                    blockstartunixms = table.Column<long>(type: "bigint", nullable: false),
                    firststartunixms = table.Column<long>(type: "bigint", nullable: false),
                    laststartunixms = table.Column<long>(type: "bigint", nullable: false),
                    snapshotcount = table.Column<int>(type: "integer", nullable: false),
                    firstsequence = table.Column<long>(type: "bigint", nullable: false),
                    lastsequence = table.Column<long>(type: "bigint", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    sequences = table.Column<byte[]>(type: "bytea", nullable: false),
                    payload = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rawblocks", x => x.id);
                    table.ForeignKey(
                        name: "fk_rawblocks_hosts_hostid",
                        column: x => x.hostid,
                        principalTable: "hosts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "historystate",
                keyColumn: "id",
                keyValue: 1,
                columns: new[] { "daysfoldedbeforeunixms", "hoursfoldedbeforeunixms" },
                values: new object[] { 0L, 0L });

            migrationBuilder.CreateIndex(
                name: "ix_rawblocks_blockstartunixms",
                table: "rawblocks",
                column: "blockstartunixms");

            migrationBuilder.CreateIndex(
                name: "ix_rawblocks_hostid_lastsequence_firstsequence",
                table: "rawblocks",
                columns: new[] { "hostid", "lastsequence", "firstsequence" });

            migrationBuilder.CreateIndex(
                name: "ix_rawblocks_hostid_probe_blockstartunixms",
                table: "rawblocks",
                columns: new[] { "hostid", "probe", "blockstartunixms" },
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
                name: "rawblocks");

            migrationBuilder.DropColumn(
                name: "daysfoldedbeforeunixms",
                table: "historystate");

            migrationBuilder.DropColumn(
                name: "hoursfoldedbeforeunixms",
                table: "historystate");
        }
    }
}
