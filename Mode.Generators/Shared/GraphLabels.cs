using System.Text;

namespace Mode.Shared;

/// <summary>
/// How a service label is escaped inside a quoted DOT or Mermaid label, written once: this file is
/// compiled into Mode.Generators (the compile-time <c>ModeServiceGraph</c>) and, linked, into
/// Mode.Runtime (<c>DependencyGraph</c> of a running tree), so the two graphs of one program escape
/// the same label the same way. Plain .NET Standard 2.0 code: no Roslyn, no runtime types.
/// </summary>
internal static class GraphLabels
{
    /// <summary>A label for a Graphviz DOT <c>label="…"</c> attribute.</summary>
    public static string EscapeDot(string label)
    {
        var builder = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A label for a quoted Mermaid node or edge text (<c>["…"]</c>, <c>|"…"|</c>).</summary>
    public static string EscapeMermaid(string label)
    {
        // Inside a quoted Mermaid label only the quote and entity/markup characters need care;
        // numeric entity codes are Mermaid's escape (#quot; for the quote).
        var builder = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            switch (c)
            {
                case '"': builder.Append("#quot;"); break;
                case '#': builder.Append("#35;"); break;
                case '<': builder.Append("#lt;"); break;
                case '>': builder.Append("#gt;"); break;
                case '\n': builder.Append("<br/>"); break;
                case '\r': break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }
}
