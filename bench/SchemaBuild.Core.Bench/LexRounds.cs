using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Core.Syntax;

namespace SchemaBuild.Core.Bench;

/// <summary>
/// The floor under loading: the dialect's lexer alone on one generated schema, repeated warm (its tokens dropped after each
/// round), against a pass that only reads every character and classifies it as a lexer must. MB of input per CPU-second, median.
/// </summary>
public static class LexRounds
{
    public static void Run(DialectKind dialect, int megabytes, int rounds)
    {
        var text = GeneratedSchema.OfSize(dialect, megabytes);
        var file = new SourceFile("Schema/generated.sql", text);
        var sql = SqlDialects.For(dialect);
        var inputMb = Encoding.UTF8.GetByteCount(text) / 1e6;
        using var process = Process.GetCurrentProcess();
        var lexing = new double[rounds];
        var scanning = new double[rounds];
        var tokens = 0;
        var words = 0;
        for (var round = -1; round < rounds; round++)
        {
            // Round -1 warms the JIT and is not counted.
            var start = CpuRounds.Seconds(process);
            tokens = sql.Lex(file).Tokens.Count;
            var afterLex = CpuRounds.Seconds(process);
            words = CountWordStarts(text);
            var afterScan = CpuRounds.Seconds(process);
            if (round >= 0)
            {
                lexing[round] = afterLex - start;
                scanning[round] = afterScan - afterLex;
            }
        }

        Console.WriteLine($"{dialect} {inputMb:F1} MB, {tokens} tokens: lexer {inputMb / CpuRounds.Median(lexing):F1} MB/cpu-s (median of {rounds}, rounds {string.Join(" ", lexing.Select(s => s.ToString("F3")))} s); "
            + $"character pass ({words} word starts) {inputMb / CpuRounds.Median(scanning):F1} MB/cpu-s");
    }

    /// <summary>Every character read and classified (letter or digit, quote, other), nothing allocated: what any lexer must at least do.</summary>
    private static int CountWordStarts(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var wordChar = char.IsLetterOrDigit(c) || c == '_';
            if (wordChar && !inWord)
            {
                count++;
            }

            inWord = wordChar;
        }

        return count;
    }
}
