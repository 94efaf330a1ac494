using System.IO;
using System.Text;

namespace SchemaBuild.Cli.Output;

/// <summary>
/// Standard error that also remembers the last "error: ..." line, so a command with --format json can put the reason
/// for a failure into the JSON document it prints instead of its result.
/// </summary>
public sealed class ErrorCapture : TextWriter
{
    private readonly TextWriter inner;
    private readonly StringBuilder line = new();

    public ErrorCapture(TextWriter inner) => this.inner = inner;

    public override Encoding Encoding => inner.Encoding;

    /// <summary>The last line that started with "error: ", without that prefix; null when there was none.</summary>
    public string? LastError { get; private set; }

    public override void Write(char value)
    {
        inner.Write(value);
        if (value == '\n')
        {
            var text = line.ToString().TrimEnd('\r');
            if (text.StartsWith("error: ", System.StringComparison.Ordinal))
            {
                LastError = text.Substring("error: ".Length);
            }

            line.Clear();
        }
        else
        {
            line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    public override void Flush() => inner.Flush();
}
