using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Mode.Generators.Helpers;

/// <summary>
/// Writes C# source text line by line with indentation and brace blocks, so the emitter reads top to
/// bottom like the code it produces. Lines end with <c>\n</c> whatever the platform.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;

    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>Writes <paramref name="text"/> on its own line at the current indentation.</summary>
    public SourceWriter WriteLine(string text)
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * IndentSize);
            _builder.Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes an empty line.</summary>
    public SourceWriter WriteLine() => WriteLine(string.Empty);

    /// <summary>Writes <c>{</c> and indents what follows; pair with <see cref="CloseBlock"/>.</summary>
    public SourceWriter OpenBlock()
    {
        WriteLine("{");
        _indent++;
        return this;
    }

    /// <summary>Outdents and writes <c>}</c>.</summary>
    public SourceWriter CloseBlock()
    {
        if (_indent == 0)
        {
            throw new InvalidOperationException("CloseBlock without a matching OpenBlock.");
        }

        _indent--;
        return WriteLine("}");
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _builder.ToString();

    /// <summary>The text written so far, as UTF-8 source text.</summary>
    public SourceText ToSourceText()
    {
        if (_indent != 0)
        {
            throw new InvalidOperationException("A block was left open.");
        }

        return SourceText.From(_builder.ToString(), Encoding.UTF8);
    }
}
