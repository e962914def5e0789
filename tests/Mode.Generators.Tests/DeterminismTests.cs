using System.Globalization;
using Mode.Generators.Tests.Infrastructure;

namespace Mode.Generators.Tests;

/// <summary>The same input always gives byte-identical output.</summary>
public sealed class DeterminismTests
{
    private const string Source = """
        using System.Threading;
        using System.Threading.Tasks;
        using Mode;

        namespace App;

        public partial class Zeta : Service
        {
            [Timer(0.5, MaxDriftCorrection = 1.25)] private void B() { }
            [Timer(1.5, Name = "é")] private void A() { }
            [Task] private Task Z(CancellationToken ct) => Task.CompletedTask;
            [Task] private Task Y() => Task.CompletedTask;
            [DependsOn] private readonly IService? _z = null;
            [DependsOn] private readonly IService? _a = null;
        }

        public partial class Alpha : Service
        {
            [Crontab("0 0 * * *", TimeZone = "Asia/Tokyo")] private void Nightly() { }
        }
        """;

    [Fact]
    public void Run_SameInputTwice_ByteIdenticalOutput()
    {
        var first = GeneratorRunner.Run(Source);
        var second = GeneratorRunner.Run(Source);

        Assert.Equal(first.Sources.Keys, second.Sources.Keys);
        foreach (var (hint, text) in first.Sources)
        {
            Assert.Equal(text, second.Sources[hint]);
        }

        var firstBytes = first.Result.GeneratedSources.Select(static s => s.SourceText.GetChecksum()).ToArray();
        var secondBytes = second.Result.GeneratedSources.Select(static s => s.SourceText.GetChecksum()).ToArray();
        Assert.Equal(firstBytes, secondBytes);
    }

    [Fact]
    public void Run_NonInvariantCulture_FormatsNumbersInvariantly()
    {
        var invariant = GeneratorRunner.Run(Source);
        var original = CultureInfo.CurrentCulture;
        GeneratorRun localized;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            localized = GeneratorRunner.Run(Source);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        Assert.Equal(invariant.Sources, localized.Sources);
        Assert.Contains("0.5D", localized.Sources["App.Zeta.Mode.g.cs"], StringComparison.Ordinal);
        Assert.Contains("maxDriftCorrectionSeconds: 1.25D", localized.Sources["App.Zeta.Mode.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FilesInOtherOrder_SameOutput()
    {
        var zeta = Source[..Source.IndexOf("public partial class Alpha", StringComparison.Ordinal)];
        var alpha = "using Mode;\nnamespace App;\n" + Source[Source.IndexOf("public partial class Alpha", StringComparison.Ordinal)..];

        var forward = GeneratorRunner.Run(zeta, alpha);
        var backward = GeneratorRunner.Run(alpha, zeta);

        Assert.Equal(forward.Sources, backward.Sources);
        Assert.Equal(
            forward.Result.GeneratedSources.Select(static s => s.HintName),
            backward.Result.GeneratedSources.Select(static s => s.HintName));
    }

    [Theory]
    [InlineData(10, "10D")]
    [InlineData(0.1, "0.1D")]
    [InlineData(1e-5, "1E-05D")]
    [InlineData(1e300, "1E+300D")]
    [InlineData(-2.5, "-2.5D")]
    [InlineData(double.NaN, "double.NaN")]
    [InlineData(double.PositiveInfinity, "double.PositiveInfinity")]
    public void DoubleLiteral_AnyValue_RoundTripsInvariantly(double value, string expected)
    {
        var literal = ServiceGenerator.Emitter.Literal(value);

        Assert.Equal(expected, literal);
        if (double.IsFinite(value))
        {
            Assert.Equal(value, double.Parse(literal.TrimEnd('D'), CultureInfo.InvariantCulture));
        }
    }
}
