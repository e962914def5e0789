using Microsoft.Extensions.Logging;
using Mode.Logging;
using Mode.Runtime.Tests.WorkerSupport;
using Mode.Testing;

namespace Mode.Runtime.Tests;

public class ModeLoggerProviderTests
{
    private static readonly VirtualClock s_clock = new(new DateTimeOffset(2018, 3, 27, 15, 47, 12, 159, TimeSpan.Zero));

    [Fact]
    public void Log_WithoutAServiceScope_HasNoPrefix()
    {
        var writer = new StringWriter();
        using var provider = new ModeLoggerProvider(writer, timeProvider: s_clock);

        provider.CreateLogger("x").LogWarning("plain {Value}", 42);

        Assert.Equal("[2018-03-27 15:47:12,159: WARNING]: plain 42\n", writer.ToString());
    }

    [Fact]
    public void Log_InsideNestedScopes_UsesTheInnermostServiceScope_AndAppendsTheException()
    {
        var writer = new StringWriter();
        using var provider = new ModeLoggerProvider(writer, timeProvider: s_clock);
        var logger = provider.CreateLogger("x");
        var outer = new ProbeService("Outer", new ProbeLog());
        var inner = outer.AddDependency(new ProbeService("Inner", new ProbeLog()));

        using (logger.BeginScope(new ServiceLogScope(outer)))
        using (logger.BeginScope(new ServiceLogScope(inner)))
        {
            logger.LogError(new InvalidOperationException("bad"), "failed");
        }

        var text = writer.ToString();
        Assert.StartsWith("[2018-03-27 15:47:12,159: ERROR]: [^-Inner]: failed\nSystem.InvalidOperationException: bad", text);
        Assert.EndsWith("\n", text);
    }

    [Fact]
    public void Colors_WrapTheLineInAnsiCodes_ByLevel()
    {
        var writer = new StringWriter();
        using var provider = new ModeLoggerProvider(writer, colors: true, timeProvider: s_clock);
        var logger = provider.CreateLogger("x");

        logger.LogError("red");
        logger.LogInformation("plain");

        Assert.Equal("\u001b[31m[2018-03-27 15:47:12,159: ERROR]: red\u001b[0m\n[2018-03-27 15:47:12,159: INFO]: plain\n", writer.ToString());
    }

    [Fact]
    public void MinimumLevel_AndDispose_DropLines()
    {
        var writer = new StringWriter();
        var provider = new ModeLoggerProvider(writer, timeProvider: s_clock) { MinimumLevel = LogLevel.Warning };
        var logger = provider.CreateLogger("x");

        logger.LogInformation("dropped");
        provider.Dispose();
        logger.LogCritical("after dispose");

        Assert.Empty(writer.ToString());
    }
}
