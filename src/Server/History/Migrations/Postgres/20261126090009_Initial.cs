using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "historystate",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    rolleduptosnapshotid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_historystate", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hosts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    os = table.Column<string>(type: "text", nullable: false),
                    kernel = table.Column<string>(type: "text", nullable: false),
                    backend = table.Column<string>(type: "text", nullable: false),
                    agentversion = table.Column<string>(type: "text", nullable: false),
                    probesjson = table.Column<string>(type: "text", nullable: false),
                    firstseenunixms = table.Column<long>(type: "bigint", nullable: false),
                    lastseenunixms = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hosts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    text = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "rollups",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tier = table.Column<int>(type: "integer", nullable: false),
                    hostid = table.Column<long>(type: "bigint", nullable: false),
                    probe = table.Column<int>(type: "integer", nullable: false),
                    bucketstartunixms = table.Column<long>(type: "bigint", nullable: false),
                    payload = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rollups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "snapshots",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    hostid = table.Column<long>(type: "bigint", nullable: false),
                    probe = table.Column<int>(type: "integer", nullable: false),
                    startunixms = table.Column<long>(type: "bigint", nullable: false),
                    durationms = table.Column<int>(type: "integer", nullable: false),
                    epoch = table.Column<long>(type: "bigint", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    malformedlines = table.Column<int>(type: "integer", nullable: false),
                    payload = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_snapshots", x => x.id);
                    table.ForeignKey(
                        name: "fk_snapshots_hosts_hostid",
                        column: x => x.hostid,
                        principalTable: "hosts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Not in the model: EF Core cannot express an index on an expression (see PostgresTracefleetDb).
            migrationBuilder.Sql("CREATE UNIQUE INDEX ix_keys_text_md5 ON keys (md5(text));");

            migrationBuilder.InsertData(
                table: "historystate",
                columns: new[] { "id", "rolleduptosnapshotid" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "ix_hosts_name",
                table: "hosts",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_rollups_tier_bucketstartunixms",
                table: "rollups",
                columns: new[] { "tier", "bucketstartunixms" });

            migrationBuilder.CreateIndex(
                name: "ix_rollups_tier_hostid_probe_bucketstartunixms",
                table: "rollups",
                columns: new[] { "tier", "hostid", "probe", "bucketstartunixms" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_hostid_epoch_sequence",
                table: "snapshots",
                columns: new[] { "hostid", "epoch", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_hostid_probe_startunixms",
                table: "snapshots",
                columns: new[] { "hostid", "probe", "startunixms" });

            migrationBuilder.CreateIndex(
                name: "ix_snapshots_startunixms",
                table: "snapshots",
                column: "startunixms");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "historystate");

            migrationBuilder.DropTable(
                name: "keys");

            migrationBuilder.DropTable(
                name: "rollups");

            migrationBuilder.DropTable(
                name: "snapshots");

            migrationBuilder.DropTable(
                name: "hosts");
        }
    }
}
