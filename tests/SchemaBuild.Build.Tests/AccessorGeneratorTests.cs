using System.IO;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using SchemaBuild.Analyzers;
using Xunit;

namespace SchemaBuild.Build.Tests;

/// <summary>The accessor generator in the compiler: what it writes for a schema, and that the result compiles.</summary>
public sealed class AccessorGeneratorTests
{
    private const string PostgresSchema = """
        CREATE TYPE order_state AS ENUM ('new', 'paid', 'in-transit');
        CREATE SCHEMA sales;
        CREATE TABLE "Order" (
          id bigint PRIMARY KEY,
          "user" text NOT NULL,
          state order_state NOT NULL
        );
        CREATE TABLE sales.invoices (
          id bigint PRIMARY KEY,
          order_id bigint NOT NULL
        );
        CREATE VIEW open_orders AS SELECT o.id, o."user" AS customer, upper(o."user") shout, count(*) FROM "Order" o GROUP BY o.id, o."user";
        CREATE VIEW all_invoices AS SELECT * FROM sales.invoices;
        """;

    private const string MariaDbSchema = """
        CREATE TABLE `order` (
          id BIGINT NOT NULL PRIMARY KEY,
          status ENUM('new','paid') NOT NULL,
          email_name VARCHAR(50) NULL,
          email VARCHAR(100) NOT NULL
        );
        """;

    [Fact]
    public async Task Postgres_names_come_quoted_and_qualified_with_raw_names_columns_lists_and_enums()
    {
        var generated = await Generate("postgres", PostgresSchema, """
            static class Use
            {
                // Values are constants: usable in const interpolations and attributes.
                const string Sql = $"SELECT {App.Db.Order.AllColumns} FROM {App.Db.Order.Table} WHERE {App.Db.Order.User} = @user";
                const string Raw = App.Db.Order.TableName + App.Db.Order.UserName;
                static App.Db.OrderState State = App.Db.OrderState.InTransit;
                const string View = App.Db.OpenOrders.View + App.Db.OpenOrders.Customer + App.Db.OpenOrders.Shout;
                const string Star = App.Db.AllInvoices.AllColumns;
            }
            """);
        Assert.Contains("public const string Table = \"\\\"Order\\\"\";", generated);
        Assert.Contains("public const string TableName = \"Order\";", generated);
        Assert.Contains("public const string User = \"\\\"user\\\"\";", generated);
        Assert.Contains("public const string UserName = \"user\";", generated);
        Assert.Contains("public const string AllColumns = \"id, \\\"user\\\", state\";", generated);
        Assert.Contains("public const string Table = \"sales.invoices\";", generated);
        Assert.Contains("public const string QualifiedName = \"sales.invoices\";", generated);
        Assert.DoesNotContain("\"public.Order\"", generated);
        Assert.Contains("public enum OrderState", generated);
        Assert.Contains("InTransit = 2,", generated);
        Assert.Contains("OrderStateLabels = new string[] { \"new\", \"paid\", \"in-transit\" };", generated);
        // The view's columns come from its select list: aliases and column references; count(*) has no name of its own.
        Assert.Contains("public const string AllColumns = \"id, customer, shout\";", generated);
        Assert.Contains("public const string AllColumns = \"id, order_id\";", generated);
    }

    [Fact]
    public async Task MariaDb_names_are_backquoted_and_an_enum_column_gets_a_csharp_enum()
    {
        var generated = await Generate("mariadb", MariaDbSchema, """
            static class Use
            {
                const string Sql = $"SELECT {App.Db.Order.Status} FROM {App.Db.Order.Table}";
                static App.Db.Order.StatusValue Paid = App.Db.Order.StatusValue.Paid;
                const string Names = App.Db.Order.EmailName + App.Db.Order.EmailNameRaw + App.Db.Order.EmailNameName;
            }
            """);
        Assert.Contains("public const string Table = \"`order`\";", generated);
        Assert.Contains("public const string Status = \"`status`\";", generated);
        Assert.Contains("public enum StatusValue", generated);
        Assert.Contains("public const string AllColumns = \"`id`, `status`, `email_name`, `email`\";", generated);
    }

    /// <summary>Runs the generator over one schema file and compiles <paramref name="use"/> against its output; returns the generated text.</summary>
    private static async Task<string> Generate(string dialect, string schema, string use)
    {
        var test = new CSharpSourceGeneratorTest<SchemaAccessorGenerator, DefaultVerifier>
        {
            ReferenceAssemblies = CompilerTestSetup.RuntimeReferences,
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        };
        test.TestState.AdditionalReferences.AddRange(CompilerTestSetup.RuntimeAssemblies);
        test.TestState.Sources.Add(use);
        test.TestState.AdditionalFiles.Add(("/Schema/schema.sql", SourceText.From(schema, Encoding.UTF8)));
        var (path, text) = CompilerTestSetup.GlobalConfig(dialect, CompilerTestSetup.SchemaFileSection("/Schema/schema.sql"));
        test.TestState.AnalyzerConfigFiles.Add((path, text));
        await test.RunAsync();

        // The same generator run by hand, to read what it wrote.
        return Generated(dialect, schema);
    }

    private static string Generated(string dialect, string schema)
    {
        var inputs = new[] { new SchemaInput("/Schema/schema.sql", schema, SchemaFileRole.Schema) };
        DialectNamesParse(dialect, out var kind);
        return AccessorWriter.Write(SchemaAnalysis.Load(inputs, kind), "App", "Db");
    }

    private static void DialectNamesParse(string text, out Core.Model.DialectKind kind) => Core.Dialects.DialectNames.TryParse(text, out kind);
}
