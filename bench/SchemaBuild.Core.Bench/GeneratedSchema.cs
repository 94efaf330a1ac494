using System.Text;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Bench;

/// <summary>
/// A synthetic schema of realistic shape: tables with a dozen columns of mixed types, a primary
/// key, secondary and unique indexes, a foreign key to an earlier table and a check.
/// </summary>
public static class GeneratedSchema
{
    /// <summary>How many generated tables make about <paramref name="megabytes"/> MB of schema text.</summary>
    public static int TablesFor(DialectKind dialect, int megabytes) => (int)(megabytes * 1_000_000 / (Create(dialect, 100).Length / 100.0));

    /// <summary>About <paramref name="megabytes"/> MB of generated schema text.</summary>
    public static string OfSize(DialectKind dialect, int megabytes) => Create(dialect, TablesFor(dialect, megabytes));

    /// <param name="changedEvery">When set, every n-th table gets a new column, a new index and a wider column.</param>
    public static string Create(DialectKind dialect, int tables, int changedEvery = 0)
    {
        var text = new StringBuilder(tables * 900);
        for (var i = 0; i < tables; i++)
        {
            var changed = changedEvery > 0 && i % changedEvery == 0;
            var start = text.Length;
            if (dialect == DialectKind.Postgres)
            {
                WritePostgresTable(text, i);
            }
            else
            {
                WriteMySqlTable(text, i);
            }

            if (changed)
            {
                var table = text.ToString(start, text.Length - start)
                    .Replace("name VARCHAR(200)", "name VARCHAR(250)")
                    .Replace("code varchar(64)", "code varchar(80)")
                    .Replace("  notes TEXT,\n", "  notes TEXT,\n  extra_note VARCHAR(100) NULL,\n")
                    .Replace("  updated_at timestamptz,\n", "  updated_at timestamptz,\n  extra_note text,\n")
                    .Replace("  PRIMARY KEY (id),\n", "  PRIMARY KEY (id),\n  KEY ix_t" + i + "_status (status),\n");
                if (dialect == DialectKind.Postgres)
                {
                    table += "CREATE INDEX ix_t" + i + "_code ON t" + i + " (code, quantity);\n";
                }

                text.Length = start;
                text.Append(table);
            }
        }

        return text.ToString();
    }

    private static void WriteMySqlTable(StringBuilder text, int i)
    {
        text.Append("-- table ").Append(i).Append('\n');
        text.Append("CREATE TABLE `t").Append(i).Append("` (\n");
        text.Append("  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n");
        text.Append("  parent_id BIGINT UNSIGNED NULL,\n");
        text.Append("  code VARCHAR(64) NOT NULL,\n");
        text.Append("  name VARCHAR(200) NOT NULL DEFAULT '',\n");
        text.Append("  amount DECIMAL(12,2) NOT NULL DEFAULT 0.00,\n");
        text.Append("  quantity INT(11) NOT NULL DEFAULT 0,\n");
        text.Append("  status ENUM('new','active','closed') NOT NULL DEFAULT 'new',\n");
        text.Append("  flags SET('a','b','c') NULL,\n");
        text.Append("  is_active BOOL NOT NULL DEFAULT TRUE,\n");
        text.Append("  notes TEXT,\n");
        text.Append("  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n");
        text.Append("  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n");
        text.Append("  PRIMARY KEY (id),\n");
        text.Append("  UNIQUE KEY uq_t").Append(i).Append("_code (code),\n");
        text.Append("  KEY ix_t").Append(i).Append("_name_created (name(32), created_at DESC),\n");
        text.Append("  KEY ix_t").Append(i).Append("_parent (parent_id),\n");
        text.Append("  CONSTRAINT ck_t").Append(i).Append("_amount CHECK (amount >= 0 AND quantity < 1000000)");
        if (i > 0)
        {
            text.Append(",\n  CONSTRAINT fk_t").Append(i).Append("_parent FOREIGN KEY (parent_id) REFERENCES `t")
                .Append(i - 1).Append("` (id) ON DELETE SET NULL");
        }

        text.Append("\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='generated table ").Append(i).Append("';\n\n");
    }

    private static void WritePostgresTable(StringBuilder text, int i)
    {
        text.Append("-- table ").Append(i).Append('\n');
        text.Append("CREATE TABLE t").Append(i).Append(" (\n");
        text.Append("  id bigserial PRIMARY KEY,\n");
        text.Append("  parent_id bigint,\n");
        text.Append("  code varchar(64) NOT NULL,\n");
        text.Append("  name text NOT NULL DEFAULT '',\n");
        text.Append("  amount numeric(12,2) NOT NULL DEFAULT 0,\n");
        text.Append("  quantity int4 NOT NULL DEFAULT 0,\n");
        text.Append("  tags text[],\n");
        text.Append("  payload jsonb NOT NULL DEFAULT '{}',\n");
        text.Append("  is_active boolean NOT NULL DEFAULT true,\n");
        text.Append("  created_at timestamptz NOT NULL DEFAULT now(),\n");
        text.Append("  updated_at timestamptz,\n");
        text.Append("  CONSTRAINT t").Append(i).Append("_code_key UNIQUE (code),\n");
        text.Append("  CHECK (amount >= 0 AND quantity < 1000000)");
        if (i > 0)
        {
            text.Append(",\n  FOREIGN KEY (parent_id) REFERENCES t").Append(i - 1).Append(" (id) ON DELETE SET NULL");
        }

        text.Append("\n);\n");
        text.Append("CREATE INDEX ix_t").Append(i).Append("_name ON t").Append(i).Append(" (lower(name), created_at DESC);\n");
        text.Append("CREATE INDEX ix_t").Append(i).Append("_parent ON t").Append(i).Append(" (parent_id) WHERE parent_id IS NOT NULL;\n");
        text.Append("COMMENT ON TABLE t").Append(i).Append(" IS 'generated table ").Append(i).Append("';\n\n");
    }
}
