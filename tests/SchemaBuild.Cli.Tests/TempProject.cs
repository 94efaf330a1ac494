using System;
using System.IO;

namespace SchemaBuild.Cli.Tests;

/// <summary>A throwaway folder with a Schema/ subfolder, deleted afterwards.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject()
    {
        Root = Path.Combine(Path.GetTempPath(), "schemabuild-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "Schema"));
    }

    public string Root { get; }

    public string Schema => Path.Combine(Root, "Schema");

    public TempProject Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
