using System;
using System.IO;
using SchemaBuild.Tests.Shared;

namespace SchemaBuild.Build.Tests;

/// <summary>
/// Packs the SchemaBuild packages once for the whole suite into a temporary feed, with a package
/// cache of its own so that no stale copy of the same version can be restored instead.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "schemabuild-build-tests-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Root, "feed");
        PackageCache = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(PackageCache);
        var repository = RepositoryRoot();
        Version = File.ReadAllText(Path.Combine(repository, "Directory.Build.props")).Split("<VersionPrefix>")[1].Split("</VersionPrefix>")[0];

        // The packages exactly as users get them: eng/pack.sh packs SchemaBuild, SchemaBuild.Runtime and SchemaBuild.Tool.
        var pack = CommandLine.Run("bash", [Path.Combine(repository, "eng", "pack.sh"), Feed], null, DotNet.Environment(PackageCache), TimeSpan.FromMinutes(8), repository);
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/pack.sh failed ({pack.ExitCode}):\n{pack.StandardOutput}{pack.StandardError}");
        }

        foreach (var id in new[] { "SchemaBuild", "SchemaBuild.Runtime", "SchemaBuild.Tool" })
        {
            if (!File.Exists(Path.Combine(Feed, $"{id}.{Version}.nupkg")))
            {
                throw new InvalidOperationException($"eng/pack.sh did not write {id}.{Version}.nupkg into {Feed}:\n{pack.StandardOutput}");
            }
        }
    }

    public string Root { get; }

    public string Feed { get; }

    /// <summary>NUGET_PACKAGES for every consumer build of the suite.</summary>
    public string PackageCache { get; }

    public string Version { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file open; the temp folder is cleaned by the system later.
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SchemaBuild.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"SchemaBuild.sln not found above {AppContext.BaseDirectory}; run the tests from the repository");
    }
}
