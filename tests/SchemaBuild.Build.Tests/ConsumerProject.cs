using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace SchemaBuild.Build.Tests;

/// <summary>
/// A new project in a temporary folder that references SchemaBuild from the packed feed, the way
/// the README tells a user to: a PackageReference, SchemaDialect, and Schema/*.sql.
/// </summary>
public sealed class ConsumerProject : IDisposable
{
    private readonly PackedFeed feed;

    /// <param name="packages">The packages it references from the feed (default: SchemaBuild).</param>
    public ConsumerProject(PackedFeed feed, string? dialect = "mariadb", string extraProperties = "", IReadOnlyList<string>? packages = null)
    {
        this.feed = feed;
        Root = Path.Combine(feed.Root, "consumer-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Root);
        Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="schemabuild-test-feed" value="{feed.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        // Stop MSBuild from picking up build settings of folders above the temp folder.
        Write("Directory.Build.props", "<Project />");
        Write("Directory.Build.targets", "<Project />");
        Write("Directory.Packages.props", "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");
        var references = string.Concat((packages ?? ["SchemaBuild"]).Select(id => $"<PackageReference Include=\"{id}\" Version=\"{feed.Version}\" />"));
        var dialectElement = dialect is null ? string.Empty : $"<SchemaDialect>{dialect}</SchemaDialect>";
        Write("Consumer.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Library</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <RootNamespace>Consumer</RootNamespace>
                {dialectElement}
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
            </Project>
            """);
    }

    public string Root { get; }

    public string PlanDirectory => Path.Combine(Root, "bin", "Debug", "net10.0", "schema");

    public ConsumerProject Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    /// <summary>Runs the dotnet CLI in the project's folder with the suite's package cache (tool install, run).</summary>
    public DotNet.Result Run(params string[] arguments) => DotNet.Run(Root, feed.PackageCache, arguments);

    public void Delete(string relativePath) => File.Delete(Path.Combine(Root, relativePath));

    /// <summary><c>dotnet build</c> without build servers, so no process outlives the test or caches the task assembly.</summary>
    public DotNet.Result Build(params string[] arguments) =>
        Run(["build", "-nodeReuse:false", "--disable-build-servers", "-p:UseSharedCompilation=false", .. arguments]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the suite's fixture to remove with its temp root.
        }
    }
}
