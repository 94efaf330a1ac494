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
        return Enumerate(directory)
            .Select(Path.GetFullPath)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new SourceFile(Relative(root, p), Read(p, Relative(root, p))))
            .ToList();
    }

    /// <summary>Reads the given files, with paths shown as given.</summary>
    public static IReadOnlyList<SourceFile> FromPaths(IEnumerable<string> paths) =>
        paths.Select(p => new SourceFile(p, Read(p, p))).ToList();

    /// <summary>
    /// A file's text; a file that is not a regular file (a FIFO would block, /dev/zero never ends) or cannot be read is a
    /// <see cref="SchemaFileException"/> naming it.
    /// </summary>
    public static string Read(string path, string shown)
    {
        if (FileKinds.NotRegular(path) is { } kind)
        {
            throw new SchemaFileException($"{shown}: is {kind}, not a regular file; schema files must be regular .sql files (remove it or rename it)");
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new SchemaFileException($"{shown}: permission denied; make the file readable (chmod u+r) or move it out of the schema folder");
        }
        catch (IOException error)
        {
            throw new SchemaFileException($"{shown}: cannot be read: {error.Message}");
        }
    }

    /// <summary>Every *.sql below the folder; a folder that cannot be listed is a <see cref="SchemaFileException"/> naming it.</summary>
    private static List<string> Enumerate(string directory)
    {
        var files = new List<string>();
        var folders = new Stack<string>();
        folders.Push(directory);
        while (folders.Count > 0)
        {
            var folder = folders.Pop();
            try
            {
                files.AddRange(Directory.GetFiles(folder, "*.sql"));
                foreach (var child in Directory.GetDirectories(folder))
                {
                    folders.Push(child);
                }
            }
            catch (UnauthorizedAccessException)
            {
                throw new SchemaFileException($"{folder}: permission denied; make the folder readable (chmod u+rx) or move it out of the schema folder");
            }
            catch (IOException error)
            {
                throw new SchemaFileException($"{folder}: cannot be listed: {error.Message}");
            }
        }

        return files;
    }

    private static string Relative(string root, string path)
    {
        var rootWithSlash = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
        var relative = path.StartsWith(rootWithSlash, StringComparison.Ordinal) ? path.Substring(rootWithSlash.Length) : path;
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
