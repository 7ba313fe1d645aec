using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tracefleet.Server.History.Migrations.Postgres
{
    /// <summary>
    /// Snapshots, RawBlocks and Rollups become partitioned tables, every row kept: each is renamed aside, a partitioned
    /// table of the same columns takes its name, the rows are copied into its DEFAULT partition(s), the old table is dropped,
    /// and keys and indexes are made again under the names the model gives them. Maintenance then carves the default
    /// partitions into ranges of time (PostgresPartitions); this migration leaves that to it so the widths live in one place.
    /// Ids keep counting from the old table's sequence, not from its greatest id: packing and retention delete rows, and
    /// an id drawn again at or below the rollup mark would never be rolled up.
    /// </summary>
    public partial class PartitionedHistory : Migration
    {
        private static readonly Layout Snapshots = new(
            "snapshots",
            "PARTITION BY RANGE (startunixms)",
            ["CREATE TABLE snapshots_default PARTITION OF snapshots DEFAULT"],
            "id, startunixms",
            "hostid",
            [("ix_snapshots_hostid_epoch_sequence", "hostid, epoch, sequence", false),
             ("ix_snapshots_hostid_probe_startunixms", "hostid, probe, startunixms", false),
             ("ix_snapshots_startunixms", "startunixms", false)]);

        private static readonly Layout RawBlocks = new(
            "rawblocks",
            "PARTITION BY RANGE (blockstartunixms)",
            ["CREATE TABLE rawblocks_default PARTITION OF rawblocks DEFAULT"],
            "id, blockstartunixms",
            "hostid",
            [("ix_rawblocks_blockstartunixms", "blockstartunixms", false),
             ("ix_rawblocks_hostid_lastsequence_firstsequence", "hostid, lastsequence, firstsequence", false),
             ("ix_rawblocks_hostid_probe_blockstartunixms", "hostid, probe, blockstartunixms", true)]);

        // One list partition a tier, each ranged by bucket start; the top DEFAULT holds a tier no release writes yet.
        private static readonly Layout Rollups = new(
            "rollups",
            "PARTITION BY LIST (tier)",
            ["CREATE TABLE rollups_minute PARTITION OF rollups FOR VALUES IN (1) PARTITION BY RANGE (bucketstartunixms)",
             "CREATE TABLE rollups_minute_default PARTITION OF rollups_minute DEFAULT",
             "CREATE TABLE rollups_hour PARTITION OF rollups FOR VALUES IN (2) PARTITION BY RANGE (bucketstartunixms)",
             "CREATE TABLE rollups_hour_default PARTITION OF rollups_hour DEFAULT",
             "CREATE TABLE rollups_day PARTITION OF rollups FOR VALUES IN (3) PARTITION BY RANGE (bucketstartunixms)",
             "CREATE TABLE rollups_day_default PARTITION OF rollups_day DEFAULT",
             "CREATE TABLE rollups_default PARTITION OF rollups DEFAULT"],
            "id, tier, bucketstartunixms",
            null,
            [("ix_rollups_tier_bucketstartunixms", "tier, bucketstartunixms", false),
             ("ix_rollups_tier_hostid_probe_bucketstartunixms", "tier, hostid, probe, bucketstartunixms", true)]);

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var layout in new[] { Snapshots, RawBlocks, Rollups })
            {
                migrationBuilder.Sql(Rebuild(layout, partitioned: true));
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var layout in new[] { Snapshots, RawBlocks, Rollups })
            {
                migrationBuilder.Sql(Rebuild(layout, partitioned: false));
            }
        }

        /// <summary>
        /// One table rebuilt, partitioned or (going down) plain, in one DO block: the old one's constraints and indexes
        /// are dropped first so the new one can take their names.
        /// </summary>
        private static string Rebuild(Layout t, bool partitioned)
        {
            var old = t.Table + "_rebuilt";
            var drops = string.Join("\n  ", t.Indexes.Select(i => $"DROP INDEX {i.Name};"));
            var foreignKey = t.HostColumn is null ? "" : $"ALTER TABLE {old} DROP CONSTRAINT fk_{t.Table}_hosts_hostid;";
            var addForeignKey = t.HostColumn is null
                ? ""
                : $"ALTER TABLE {t.Table} ADD CONSTRAINT fk_{t.Table}_hosts_hostid FOREIGN KEY ({t.HostColumn}) REFERENCES hosts (id) ON DELETE CASCADE;";
            var creates = string.Join("\n  ", t.Indexes.Select(i => $"CREATE {(i.Unique ? "UNIQUE " : "")}INDEX {i.Name} ON {t.Table} ({i.Columns});"));
            var partitions = partitioned ? string.Join("\n  ", t.Partitions.Select(p => p + ";")) : "";
            // Going down, the snapshot identity is unique again, and the old primary key is the id alone.
            var key = partitioned ? t.Key : "id";
            if (!partitioned)
            {
                creates = creates.Replace("CREATE INDEX ix_snapshots_hostid_epoch_sequence", "CREATE UNIQUE INDEX ix_snapshots_hostid_epoch_sequence", StringComparison.Ordinal);
            }

            return $"""
                DO $rebuild$
                DECLARE last_id bigint := pg_sequence_last_value(pg_get_serial_sequence('{t.Table}', 'id')::regclass);
                BEGIN
                  ALTER TABLE {t.Table} RENAME TO {old};
                  ALTER TABLE {old} ALTER COLUMN id DROP IDENTITY;
                  ALTER TABLE {old} DROP CONSTRAINT pk_{t.Table};
                  {foreignKey}
                  {drops}
                  CREATE TABLE {t.Table} (LIKE {old} INCLUDING DEFAULTS) {(partitioned ? t.PartitionBy : "")};
                  ALTER TABLE {t.Table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;
                  {partitions}
                  INSERT INTO {t.Table} SELECT * FROM {old};
                  DROP TABLE {old};
                  IF last_id IS NOT NULL THEN
                    PERFORM setval(pg_get_serial_sequence('{t.Table}', 'id'), last_id);
                  END IF;
                  ALTER TABLE {t.Table} ADD CONSTRAINT pk_{t.Table} PRIMARY KEY ({key});
                  {addForeignKey}
                  {creates}
                END
                $rebuild$;
                """;
        }

        private sealed record Layout(
            string Table, string PartitionBy, string[] Partitions, string Key, string HostColumn, (string Name, string Columns, bool Unique)[] Indexes);
    }
}
