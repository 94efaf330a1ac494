using System;
using System.IO;

namespace SchemaBuild.Tests.Shared;

/// <summary>The repository's root folder (the one holding SchemaBuild.sln), for tests that read docs or sources.</summary>
public static class RepositoryRoot
{
    public static string Find()
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
