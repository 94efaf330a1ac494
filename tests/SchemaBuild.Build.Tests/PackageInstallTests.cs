using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using SchemaBuild.Tests.Shared;
using Xunit;

namespace SchemaBuild.Build.Tests;

/// <summary>
/// SchemaBuild.Runtime and SchemaBuild.Tool restored from the packed feed into new projects, as
/// users install them: a program deploys a plan from C# code on both engines, and the tool installs
/// as a local tool and runs. Everything else they need comes from the configured NuGet source.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PackageInstallTests
{
    private static int counter;

    private readonly PackedFeed feed;

    public PackageInstallTests(PackedFeed feed) => this.feed = feed;

    [Fact]
    public void RuntimePackageDeploysAPlanFromCodeOnBothEngines()
    {
        using var project = new ConsumerProject(feed, dialect: null, extraProperties: "<OutputType>Exe</OutputType>", packages: ["SchemaBuild.Runtime"])
            .Write("Program.cs", DeployProgram)
            .Write("Schema/widgets.sql", "CREATE TABLE widgets (\n  id int NOT NULL,\n  name varchar(40) NOT NULL,\n  PRIMARY KEY (id)\n);\n");
        var build = project.Build();
        Assert.True(build.ExitCode == 0, "the Runtime package did not restore or compile:\n" + build.Output);

        foreach (var server in new[] { TestServerUrl.MariaDb, TestServerUrl.Postgres })
        {
            var engine = new TestServerDatabase(server, $"sbpkg_{Environment.ProcessId % 10000}_{Interlocked.Increment(ref counter)}");
            try
            {
                var run = project.Run(Path.Combine("bin", "Debug", "net10.0", "Consumer.dll"), engine.Url, Path.Combine(project.Root, "Schema"));
                Assert.True(run.ExitCode == 0, $"deploy from code on {engine.Scheme} failed:\n{run.Output}");
                Assert.Contains("outcome: Deployed", run.Output);
                Assert.DoesNotContain(engine.Password, run.Output);
                Assert.Equal("name", engine.Query("SELECT column_name FROM information_schema.columns WHERE table_name = 'widgets' AND column_name = 'name'"));
            }
            finally
            {
                engine.Drop();
            }
        }
    }

    [Fact]
    public void ToolInstallsAsALocalToolAndPrintsItsVersion()
    {
        using var project = new ConsumerProject(feed, dialect: null, packages: []);

        var manifest = project.Run("new", "tool-manifest");
        Assert.True(manifest.ExitCode == 0, manifest.Output);
        var install = project.Run("tool", "install", "SchemaBuild.Tool", "--version", feed.Version, "--add-source", feed.Feed);
        Assert.True(install.ExitCode == 0, "dotnet tool install SchemaBuild.Tool failed:\n" + install.Output);

        var version = project.Run("schema", "--version");
        Assert.True(version.ExitCode == 0, "dotnet schema --version failed:\n" + version.Output);
        Assert.StartsWith(feed.Version, version.Output.Trim());
        var help = project.Run("schema", "plan", "--help");
        Assert.True(help.ExitCode == 0 && help.Output.Contains("--schema", StringComparison.Ordinal), "dotnet schema plan --help:\n" + help.Output);
    }

    /// <summary>What a user writes: compile the schema folder into a plan and deploy it through the library.</summary>
    private const string DeployProgram = """
        using System;
        using System.Linq;
        using SchemaBuild.Core.Loading;
        using SchemaBuild.Core.Planning;
        using SchemaBuild.Runtime.Deployment;
        using SchemaBuild.Runtime.Engines;

        await using var session = await DatabaseSessions.OpenAsync(args[0]);
        var request = new PlanRequest(session.Dialect, SchemaFiles.FromDirectory(args[1], args[1]), args[1]) { ServerVersion = session.ServerVersion };
        var compilation = PlanCompiler.Compile(request);
        if (compilation.Plan is null)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, compilation.Diagnostics.Select(d => d.Message)));
            return 1;
        }

        var result = await new Deployer().DeployAsync(compilation.Plan, session);
        Console.WriteLine($"{session.DisplayName}: {compilation.Plan.Steps.Count} step(s), outcome: {result.Outcome}");
        return 0;
        """;

    /// <summary>A fresh database on a test server, made and checked through the engine's own command-line client.</summary>
    private sealed class TestServerDatabase
    {
        private readonly Uri server;
        private readonly string name;

        public TestServerDatabase(string serverUrl, string name)
        {
            server = new Uri(serverUrl);
            this.name = name;
            Client(null, $"CREATE DATABASE {name}");
        }

        public string Scheme => server.Scheme;

        public string Password => Uri.UnescapeDataString(server.UserInfo.Split(':', 2)[1]);

        public string Url => $"{server.Scheme}://{server.UserInfo}@{server.Host}:{server.Port}/{name}";

        public string Query(string sql) => Client(name, sql).Trim();

        public void Drop() => Client(null, $"DROP DATABASE IF EXISTS {name}" + (Scheme == "postgres" ? " WITH (FORCE)" : string.Empty));

        private string Client(string? database, string sql)
        {
            var user = Uri.UnescapeDataString(server.UserInfo.Split(':', 2)[0]);
            var serverDatabase = server.AbsolutePath.TrimStart('/');
            return Scheme == "postgres"
                ? CommandLine.RunChecked("psql", ["-h", server.Host, "-p", server.Port.ToString(), "-U", user, "-d", database ?? serverDatabase, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql],
                    environment: new Dictionary<string, string?> { ["PGPASSWORD"] = Password })
                : CommandLine.RunChecked("mariadb", ["-h", server.Host, "-P", server.Port.ToString(), "-u", user, "-N", "-B", "-D", database ?? serverDatabase, "-e", sql],
                    environment: new Dictionary<string, string?> { ["MYSQL_PWD"] = Password });
        }
    }
}
