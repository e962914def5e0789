using Microsoft.CodeAnalysis.Text;
using Mode.Analyzers.Tests.Verifiers;
using Xunit.Sdk;

namespace Mode.Analyzers.Tests;

/// <summary>The test helpers themselves: markup parsing, and that a wrong expectation fails.</summary>
public class VerifierTests
{
    [Fact]
    public void Parse_DefaultAndNamedSpans_StripsMarkup()
    {
        var (source, spans) = Markup.Parse("a [|bc|] {|MODE002:d[|e|]|} [[|f|]]", "MODE001");

        Assert.Equal("a bc de [f]", source);
        Assert.Equal(
            [
                new ExpectedSpan("MODE001", TextSpan.FromBounds(2, 4)),
                new ExpectedSpan("MODE002", TextSpan.FromBounds(5, 7)),
                new ExpectedSpan("MODE001", TextSpan.FromBounds(6, 7)),
                new ExpectedSpan("MODE001", TextSpan.FromBounds(9, 10)),
            ],
            spans);
    }

    [Fact]
    public void Parse_UnclosedSpan_Throws() =>
        Assert.Throws<FormatException>(() => Markup.Parse("a [|b", "MODE001"));

    [Fact]
    public void Parse_LogicalOrAndIndexers_LeftAlone()
    {
        var (source, spans) = Markup.Parse("x = a || b; y = z[0] | w[1];", "MODE001");

        Assert.Equal("x = a || b; y = z[0] | w[1];", source);
        Assert.Empty(spans);
    }

    [Fact]
    public Task VerifyAsync_MissingDiagnostic_Fails() =>
        Assert.ThrowsAsync<FailException>(() => AnalyzerVerifier.VerifyAsync(DiagnosticIds.ServiceNotPartial, """
            public partial class [|App|] : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """));

    [Fact]
    public Task VerifyAsync_UnexpectedDiagnostic_Fails() =>
        Assert.ThrowsAsync<FailException>(() => AnalyzerVerifier.VerifyAsync(DiagnosticIds.ServiceNotPartial, """
            public class App : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """));

    [Fact]
    public Task VerifyAsync_SourceWithCompilerError_Fails() =>
        Assert.ThrowsAsync<TrueException>(() => AnalyzerVerifier.VerifyAsync(DiagnosticIds.ServiceNotPartial, """
            public partial class App : Service
            {
                private int Broken() => "";
            }
            """));
}
