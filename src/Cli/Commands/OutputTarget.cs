using System;
using System.CommandLine;
using System.IO;
using System.Text;

namespace SchemaBuild.Cli.Commands;

/// <summary><c>-o|--output FILE</c> (also <c>--out</c>): where a command writes its result; standard output when absent.</summary>
public sealed class OutputTarget
{
    private const int BufferSize = 64 * 1024;

    public Option<FileInfo?> Out { get; } = new("--output", "-o", "--out")
    {
        Description = "Write the result to this file instead of standard output.",
    };

    public void Write(ParseResult parseResult, string text) => Write(parseResult, writer => writer.Write(text));

    /// <summary>Streams the result as <paramref name="write"/> produces it: a plan of hundreds of megabytes never becomes one string.</summary>
    public void Write(ParseResult parseResult, Action<TextWriter> write)
    {
        var file = parseResult.GetValue(Out);
        if (file is null)
        {
            // Console.Out writes through a 256-byte buffer: a 68 MB plan.json took 266,000 write calls. Same encoding, no preamble.
            Console.Out.Flush();
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), Console.OutputEncoding, BufferSize, leaveOpen: true);
            write(stdout);
            return;
        }

        try
        {
            file.Directory?.Create();
            using var writer = new StreamWriter(file.FullName, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize);
            write(writer);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--output: cannot write '{file.FullName}' ({error.Message.TrimEnd('.')}); choose a writable path");
        }

        Console.Error.WriteLine($"wrote {file.FullName}");
    }
}
