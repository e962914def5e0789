namespace Mode.Runtime.Tests;

/// <summary>
/// <see cref="RestartBackoff"/>'s argument checks, defaults and jitter arithmetic, pinned down with a
/// random source that returns a chosen sample (behaviour that mutation testing found untested).
/// </summary>
public class RestartBackoffArgumentAndJitterTests
{
    /// <summary>A random source that always returns one sample and counts how often it was asked.</summary>
    private sealed class FixedRandom(double sample) : Random
    {
        private int _draws;

        public int Draws => Volatile.Read(ref _draws);

        public override double NextDouble()
        {
            Interlocked.Increment(ref _draws);
            return sample;
        }
    }

    [Fact]
    public void Constructor_AFactorBelowOne_IsRejectedWithAMessageThatSaysWhy()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(1), factor: 0.5));

        Assert.Equal("factor", ex.ParamName);
        Assert.Contains("The factor must be at least 1.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_AJitterOutsideZeroToOne_IsRejectedWithAMessageThatSaysWhy()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(1), jitter: 1.5));

        Assert.Equal("jitter", ex.ParamName);
        Assert.Contains("The jitter must be a fraction between 0 and 1.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_AJitterOfExactlyOne_IsAccepted()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), jitter: 1);

        Assert.Equal(1, backoff.Jitter);
    }

    [Fact]
    public void ResetAfter_ByDefault_IsTwiceTheMaximum()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), maximum: TimeSpan.FromSeconds(8));
        var defaults = new RestartBackoff(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(16), backoff.ResetAfter);
        Assert.Equal(TimeSpan.FromMinutes(5), defaults.Maximum);
        Assert.Equal(TimeSpan.FromMinutes(10), defaults.ResetAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_AResetAfterOfZeroOrLess_IsRejected(int seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(1), resetAfter: TimeSpan.FromSeconds(seconds)));

        Assert.Equal("resetAfter", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void DelayFor_AnAttemptBeforeTheFirst_IsRejected(int attempt)
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), jitter: 0);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => backoff.DelayFor(attempt));

        Assert.Equal("attempt", ex.ParamName);
    }

    [Fact]
    public void DelayFor_WithoutJitter_DrawsNothingFromTheRandomSource()
    {
        var random = new FixedRandom(0.9);
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), factor: 2, maximum: TimeSpan.FromSeconds(8), jitter: 0, random: random);

        var delays = Enumerable.Range(1, 5).Select(backoff.DelayFor).ToArray();

        Assert.Equal([1, 2, 4, 8, 8], delays.Select(static d => d.TotalSeconds));
        Assert.Equal(0, random.Draws);
    }

    [Theory]
    [InlineData(0.75, 1, 12.5)] // 10 s × (1 + 0.5 × 0.5)
    [InlineData(0.75, 2, 25)] // 20 s × 1.25
    [InlineData(0.25, 1, 7.5)] // 10 s × (1 − 0.5 × 0.5)
    [InlineData(0.5, 1, 10)] // a sample in the middle leaves the delay as it is
    [InlineData(0.75, 3, 50)] // 40 s × 1.25 = 50 s, under the maximum
    [InlineData(0.75, 4, 60)] // 80 s capped at 60 s, then × 1.25, capped again
    public void DelayFor_WithJitter_ScalesTheDelayByOnePlusJitterTimesTheCentredSample(double sample, int attempt, double expectedSeconds)
    {
        var random = new FixedRandom(sample);
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(10), factor: 2, maximum: TimeSpan.FromMinutes(1), jitter: 0.5, random: random);

        var delay = backoff.DelayFor(attempt);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
        Assert.Equal(1, random.Draws);
    }
}
