using System.Collections.Generic;
using SchemaBuild.Core.Diagnostics;

namespace SchemaBuild.Core.Syntax;

/// <summary>The output of a dialect lexer: tokens ending with EndOfFile, the comments, and lexical errors.</summary>
public sealed class LexResult
{
    public LexResult(SourceFile file, IReadOnlyList<Token> tokens, IReadOnlyList<Comment> comments, IReadOnlyList<Diagnostic> diagnostics)
    {
        File = file;
        Tokens = tokens;
        Comments = comments;
        Diagnostics = diagnostics;
    }

    public SourceFile File { get; }

    public IReadOnlyList<Token> Tokens { get; }

    public IReadOnlyList<Comment> Comments { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
