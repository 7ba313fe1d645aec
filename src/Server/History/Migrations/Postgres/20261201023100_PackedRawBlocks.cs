using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PackedRawBlocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "packedbeforeunixms",
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
                column: "packedbeforeunixms",
                value: 0L);

            migrationBuilder.CreateIndex(
                name: "ix_rawblocks_blockstartunixms",
                table: "rawblocks",
                column: "blockstartunixms");

            migrationBuilder.CreateIndex(
                name: "ix_rawblocks_hostid_probe_blockstartunixms",
                table: "rawblocks",
                columns: new[] { "hostid", "probe", "blockstartunixms" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rawblocks");

            migrationBuilder.DropColumn(
                name: "packedbeforeunixms",
                table: "historystate");
        }
    }
}
