namespace Mode.Generators.Tests;

/// <summary>
/// The generator writes some of the runtime's defaults and enum numbers into generated code (it
/// cannot reference Mode.Runtime: it runs inside the compiler). These tests keep each copy equal to
/// the runtime's own value, read through the public attributes.
/// </summary>
public sealed class DefaultsTests
{
    [Fact]
    public void MaxDriftCorrection_GeneratorDefault_EqualsTheAttributesDefault()
    {
        Assert.Equal(KnownTypeNames.DefaultMaxDriftCorrectionSeconds, new TimerAttribute(1).MaxDriftCorrection);
    }

    [Fact]
    public void ExecFirst_GeneratorDefault_EqualsTheAttributesDefault()
    {
        // The parser starts from false when ExecFirst is not written.
        Assert.False(new TimerAttribute(1).ExecFirst);
    }

    [Theory]
    [InlineData(0, BackgroundErrorPolicy.Default)]
    [InlineData(1, BackgroundErrorPolicy.Crash)]
    [InlineData(2, BackgroundErrorPolicy.LogAndContinue)]
    public void OnError_NumbersTheEmitterWrites_AreTheRuntimesPolicies(int number, BackgroundErrorPolicy policy)
    {
        Assert.Equal(number, (int)policy);
        Assert.Equal(BackgroundErrorPolicy.Default, new TaskAttribute().OnError);
        Assert.Equal(BackgroundErrorPolicy.Default, new TimerAttribute(1).OnError);
        Assert.Equal(BackgroundErrorPolicy.Default, new CrontabAttribute("* * * * *").OnError);
    }

    [Fact]
    public void OnError_EveryRuntimePolicy_IsWrittenByItsName()
    {
        // A policy added to the runtime needs its own case in Emitter.OnError, not the numeric fallback.
        foreach (var policy in Enum.GetValues<BackgroundErrorPolicy>())
        {
            var argument = ServiceGenerator.Emitter.OnError((int)policy);
            var expected = policy == BackgroundErrorPolicy.Default ? string.Empty : ", onError: global::Mode.BackgroundErrorPolicy." + policy;
            Assert.Equal(expected, argument);
        }
    }
}
