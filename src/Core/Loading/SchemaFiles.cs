using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Loading;

/// <summary>Finds and reads schema files: a folder's <c>**/*.sql</c> in a stable (ordinal path) order.</summary>
public static class SchemaFiles
{
    /// <summary>
    /// Reads every .sql file below <paramref name="directory"/>. Paths in diagnostics are relative to
    /// <paramref name="relativeTo"/> (default: the folder's parent, so they read <c>Schema/users.sql</c>).
    /// </summary>
    public static IReadOnlyList<SourceFile> FromDirectory(string directory, string? relativeTo = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"schema folder '{directory}' does not exist");
        }

        var root = Path.GetFullPath(relativeTo ?? Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar)) ?? directory);
        return Directory.EnumerateFiles(directory, "*.sql", SearchOption.AllDirectories)
            .Select(Path.GetFullPath)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new SourceFile(Relative(root, p), File.ReadAllText(p)))
            .ToList();
    }

    /// <summary>Reads the given files, with paths shown as given.</summary>
    public static IReadOnlyList<SourceFile> FromPaths(IEnumerable<string> paths) =>
        paths.Select(p => new SourceFile(p, File.ReadAllText(p))).ToList();

    private static string Relative(string root, string path)
    {
        var rootWithSlash = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
        var relative = path.StartsWith(rootWithSlash, StringComparison.Ordinal) ? path.Substring(rootWithSlash.Length) : path;
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
