#!/usr/bin/env bash
# The main job, end to end on a throwaway server: install what is missing, start the server,
# compile the sample Shop schema into a plan and deploy it, apply a v2 change to the schema,
# compile and deploy again (online: instant / in-place / concurrent steps under short lock
# waits), and print the deployment status recorded in the database.
#
#   eng/demo.sh             MariaDB 10.11 (samples/Shop/Schema)
#   eng/demo.sh --postgres  PostgreSQL 15 (samples/Shop/Schema.postgres)
#
# The servers stay up afterwards (eng/db.sh stop removes them); the demo database is
# recreated on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

engine=mariadb
schema=samples/Shop/Schema
if [ "${1:-}" = "--postgres" ]; then
  engine=postgres
  schema=samples/Shop/Schema.postgres
elif [ -n "${1:-}" ]; then
  echo "usage: eng/demo.sh [--postgres]" >&2
  exit 2
fi

step() { printf '\n== %s\n' "$*"; }

step "installing what is missing and starting a throwaway $engine server"
eng/setup.sh
eng/db.sh start
eval "$(eng/db.sh env)"

dotnet build src/Cli -c Release --nologo -v quiet -clp:ErrorsOnly
schema_tool() { dotnet "$root/src/Cli/bin/Release/net10.0/dotnet-schema.dll" "$@"; }

# A fresh demo database; the URL goes through the environment, so no password is on a command line.
database=shop_demo
if [ "$engine" = postgres ]; then
  server_url=$SCHEMABUILD_TEST_POSTGRES
  PGPASSWORD=$(sed -E 's|^[a-z]+://[^:]*:([^@]*)@.*|\1|' <<<"$server_url") \
    psql -X -q -h 127.0.0.1 -p "${SCHEMABUILD_POSTGRES_PORT:-55432}" -U schemabuild -d schemabuild \
    -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
else
  server_url=$SCHEMABUILD_TEST_MARIADB
  MYSQL_PWD=$(sed -E 's|^[a-z]+://[^:]*:([^@]*)@.*|\1|' <<<"$server_url") \
    mariadb --no-defaults -h 127.0.0.1 -P "${SCHEMABUILD_MARIADB_PORT:-33306}" -u schemabuild \
    -e "DROP DATABASE IF EXISTS $database; CREATE DATABASE $database"
fi
export SCHEMABUILD_CONNECTION="${server_url%/*}/$database"

work="$root/.tmp/demo-$engine"
rm -rf "$work"; mkdir -p "$work"

step "packing the SchemaBuild package into the local feed (eng/pack.sh)"
eng/pack.sh

# A consumer project like samples/Shop, in $1, with the schema files of $2: the sample's own code
# where the schema is the sample's, a one-line program otherwise (its accessors follow the schema).
consumer() {
  local dir=$1 schema_dir=$2 baseline=${3:-}
  mkdir -p "$dir"
  cp samples/Shop/Shop.csproj samples/Shop/Directory.Build.props samples/Shop/Directory.Packages.props "$dir/"
  sed "s|\.\./\.\./artifacts/feed|$root/artifacts/feed|" samples/Shop/NuGet.config > "$dir/NuGet.config"
  cp -r "$schema_dir" "$dir/Schema"
  if [ "$engine" = mariadb ]; then
    cp samples/Shop/*.cs "$dir/"
  else
    sed -i 's|<SchemaDialect>mariadb</SchemaDialect>|<SchemaDialect>postgres</SchemaDialect>|; s|<SchemaServerVersion>10.11</SchemaServerVersion>|<SchemaServerVersion>15</SchemaServerVersion>|' "$dir/Shop.csproj"
    printf 'Console.WriteLine($"{Shop.Db.Customers.Table}: {Shop.Db.Customers.Email}");\n' > "$dir/Program.cs"
  fi
  if [ -n "$baseline" ]; then
    sed -i "s|</SchemaServerVersion>|</SchemaServerVersion>\n    <SchemaBaseline>$baseline</SchemaBaseline>|" "$dir/Shop.csproj"
  fi
}

step "v1: dotnet build of the Shop project compiles $schema into bin/Release/net10.0/schema/plan.json"
consumer "$work/v1" "$schema"
dotnet build "$work/v1" -c Release --nologo -v quiet -clp:ErrorsOnly -nodeReuse:false
cp "$work/v1/bin/Release/net10.0/schema/plan.json" "$work/v1/plan.json"

step "v1: deploying the plan"
schema_tool deploy --plan "$work/v1/plan.json"

step "v2: a new column and index on customers, and a new wishlist_items table"
mkdir -p "$work/v2-schema"
cp -r "$schema" "$work/v2-schema/Schema"
if [ "$engine" = postgres ]; then
  sed -i 's/^  created_at timestamptz NOT NULL DEFAULT now()$/  created_at timestamptz NOT NULL DEFAULT now(),\n  loyalty_tier text/' "$work/v2-schema/Schema/01_shop.sql"
  cat > "$work/v2-schema/Schema/02_wishlists.sql" <<'SQL'
CREATE INDEX customers_loyalty_tier_idx ON customers (loyalty_tier);

CREATE TABLE wishlist_items (
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES products (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, product_id)
);
CREATE INDEX wishlist_items_product_idx ON wishlist_items (product_id);
SQL
else
  sed -i 's/^  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),$/&\n  loyalty_tier VARCHAR(20) NULL,\n  KEY ix_customers_loyalty_tier (loyalty_tier),/' "$work/v2-schema/Schema/01_customers.sql"
  cat > "$work/v2-schema/Schema/05_wishlists.sql" <<'SQL'
CREATE TABLE wishlist_items (
  customer_id BIGINT UNSIGNED NOT NULL,
  product_id BIGINT UNSIGNED NOT NULL,
  added_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (customer_id, product_id),
  KEY ix_wishlist_items_product (product_id),
  CONSTRAINT fk_wishlist_items_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
  CONSTRAINT fk_wishlist_items_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
SQL
fi
grep -q loyalty_tier "$work/v2-schema/Schema/"*.sql || { echo "demo: the v2 edit did not apply to $schema" >&2; exit 1; }

step "v2: dotnet build plans the change against v1 (SchemaBaseline); plan.md is what a pull request review shows"
consumer "$work/v2" "$work/v2-schema/Schema" "$root/$schema"
dotnet build "$work/v2" -c Release --nologo -v quiet -clp:ErrorsOnly -nodeReuse:false
cp "$work/v2/bin/Release/net10.0/schema/plan.json" "$work/v2/plan.json"
cat "$work/v2/bin/Release/net10.0/schema/plan.md"

step "v2: what deploy would run (--dry-run)"
schema_tool deploy --plan "$work/v2/plan.json" --dry-run

step "v2: deploying"
schema_tool deploy --plan "$work/v2/plan.json"

step "status (from the control tables in $database)"
schema_tool status

step "the live schema, read back from the server (dotnet schema inspect, one file per table)"
schema_tool inspect --out "$work/live"
ls "$work/live"
echo
echo "demo: done. Connection for your own experiments (password redacted here): $(sed -E 's|://([^:]*):[^@]*@|://\1:***@|' <<<"$SCHEMABUILD_CONNECTION")"
