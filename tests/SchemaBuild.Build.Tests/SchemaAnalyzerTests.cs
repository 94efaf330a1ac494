using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using SchemaBuild.Analyzers;
using Xunit;

namespace SchemaBuild.Build.Tests;

/// <summary>The diagnostic analyzer in the compiler: the build's diagnostics on the .sql files, with https help links.</summary>
public sealed class SchemaAnalyzerTests
{
    [Fact]
    public async Task Reports_the_schema_diagnostics_on_the_sql_file_when_asked_to()
    {
        var test = Test("CREATE TABLE tags (\n  name text NOT NULL\n);\n", "build_property.SchemaBuildAnalyzerDiagnostics = true\n");
        test.ExpectedDiagnostics.Add(new DiagnosticResult("SB6001", DiagnosticSeverity.Warning).WithSpan("/Schema/tags.sql", 1, 14, 1, 18).WithMessageFormat("{0}").WithArguments("table public.tags has no primary key; replicas, online copies and row lookups need one. Add a PRIMARY KEY (e.g. an id column), or turn the rule off for such tables with SB6001=none"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Stays_quiet_in_a_command_line_build()
    {
        // The MSBuild task reports them there; the analyzer would print each twice.
        await Test("CREATE TABLE tags (\n  name text NOT NULL\n);\n", string.Empty).RunAsync();
    }

    [Fact]
    public void Every_descriptor_links_to_its_rule_page_and_a_project_base_wins()
    {
        Assert.All(SchemaDiagnosticDescriptors.All, d => Assert.Matches("^https://.+/docs/rules/" + d.Id + @"\.md$", d.HelpLinkUri));
        Assert.Equal("https://docs.example.com/rules/SB1002.md", SchemaDiagnosticDescriptors.For("SB1002", "https://docs.example.com/rules/").HelpLinkUri);
        Assert.Same(SchemaDiagnosticDescriptors.For("SB1002"), SchemaDiagnosticDescriptors.All.Single(d => d.Id == "SB1002"));
    }

    private static CSharpAnalyzerTest<SchemaDiagnosticAnalyzer, DefaultVerifier> Test(string schema, string extraConfig)
    {
        var test = new CSharpAnalyzerTest<SchemaDiagnosticAnalyzer, DefaultVerifier> { ReferenceAssemblies = CompilerTestSetup.RuntimeReferences };
        test.TestState.AdditionalReferences.AddRange(CompilerTestSetup.RuntimeAssemblies);
        test.TestState.Sources.Add("static class Empty { }");
        test.TestState.AdditionalFiles.Add(("/Schema/tags.sql", SourceText.From(schema, Encoding.UTF8)));
        test.TestState.AnalyzerConfigFiles.Add(CompilerTestSetup.GlobalConfig("postgres", extraConfig + CompilerTestSetup.SchemaFileSection("/Schema/tags.sql")));
        return test;
    }
}
