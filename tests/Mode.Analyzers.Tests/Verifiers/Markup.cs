using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Mode.Analyzers.Tests.Verifiers;

/// <summary>An expected diagnostic: its ID and where it is, in the source with the markup removed.</summary>
internal readonly record struct ExpectedSpan(string Id, TextSpan Span)
{
    public override string ToString() => $"{Id}@{Span.Start}..{Span.End}";
}

/// <summary>
/// Test markup: <c>[|...|]</c> marks a diagnostic of the rule under test, <c>{|MODE002:...|}</c> one
/// with a named ID. Spans may nest. <see cref="Parse"/> strips the markup and returns the spans.
/// </summary>
internal static class Markup
{
    public static (string Source, IReadOnlyList<ExpectedSpan> Spans) Parse(string markup, string? defaultId)
    {
        var output = new StringBuilder(markup.Length);
        var open = new Stack<(string? Id, int Start, bool Brace)>();
        var spans = new List<ExpectedSpan>();
        var i = 0;
        while (i < markup.Length)
        {
            if (Starts(markup, i, "[|"))
            {
                open.Push((defaultId, output.Length, false));
                i += 2;
            }
            else if (Starts(markup, i, "{|") && TryReadId(markup, i + 2, out var id, out var next))
            {
                open.Push((id, output.Length, true));
                i = next;
            }
            else if (Starts(markup, i, "|]") && open.Count > 0 && !open.Peek().Brace)
            {
                Close(open.Pop(), output.Length, spans);
                i += 2;
            }
            else if (Starts(markup, i, "|}") && open.Count > 0 && open.Peek().Brace)
            {
                Close(open.Pop(), output.Length, spans);
                i += 2;
            }
            else
            {
                output.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException($"Unclosed markup span starting at {open.Peek().Start}.");
        }

        spans.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : string.CompareOrdinal(a.Id, b.Id));
        return (output.ToString(), spans);
    }

    private static void Close((string? Id, int Start, bool Brace) span, int end, List<ExpectedSpan> spans)
    {
        if (span.Id is null)
        {
            throw new FormatException("'[|...|]' needs a default diagnostic ID.");
        }

        spans.Add(new ExpectedSpan(span.Id, TextSpan.FromBounds(span.Start, end)));
    }

    private static bool TryReadId(string text, int start, out string id, out int next)
    {
        var colon = text.IndexOf(':', start);
        id = string.Empty;
        next = start;
        if (colon <= start || colon - start > 20)
        {
            return false;
        }

        for (var j = start; j < colon; j++)
        {
            if (!char.IsLetterOrDigit(text[j]))
            {
                return false;
            }
        }

        id = text[start..colon];
        next = colon + 1;
        return true;
    }

    private static bool Starts(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;
}
