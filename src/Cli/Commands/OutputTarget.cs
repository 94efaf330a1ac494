using System;
using System.CommandLine;
using System.IO;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>-o|--output FILE</c> (also <c>--out</c>): where a command writes its result; standard output when absent.</summary>
public sealed class OutputTarget
{
    public Option<FileInfo?> Out { get; } = new("--output", "-o", "--out")
    {
        Description = "Write the result to this file instead of standard output.",
    };

    public void Write(ParseResult parseResult, string text)
    {
        var file = parseResult.GetValue(Out);
        if (file is null)
        {
            Console.Out.Write(text);
            return;
        }

        try
        {
            file.Directory?.Create();
            File.WriteAllText(file.FullName, text);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--output: cannot write '{file.FullName}' ({error.Message.TrimEnd('.')}); choose a writable path");
        }

        Console.Error.WriteLine($"wrote {file.FullName}");
    }
}
