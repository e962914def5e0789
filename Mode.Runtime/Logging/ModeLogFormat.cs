using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Mode.Logging;

/// <summary>Mode's log line: <c>[2026-11-21 15:47:12,159: INFO]: [^--Webserver]: Starting...</c>.</summary>
internal static class ModeLogFormat
{
    private const string Reset = "\u001b[0m";

    /// <summary>Python's level names, which Mode prints.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => "NONE",
    };

    /// <summary>One line (plus the exception's lines, if any), without the final newline.</summary>
    public static string Format(DateTimeOffset time, LogLevel level, string? prefix, string message, Exception? exception, bool colors)
    {
        var builder = new StringBuilder(64 + message.Length);
        var color = colors ? Color(level) : null;
        if (color is not null)
        {
            builder.Append(color);
        }

        builder.Append('[')
            .Append(time.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture))
            .Append(": ")
            .Append(LevelName(level))
            .Append("]: ");
        if (!string.IsNullOrEmpty(prefix))
        {
            builder.Append(prefix).Append(": ");
        }

        builder.Append(message);
        if (exception is not null)
        {
            builder.Append('\n').Append(exception);
        }

        if (color is not null)
        {
            builder.Append(Reset);
        }

        return builder.ToString();
    }

    private static string? Color(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "\u001b[90m",
        LogLevel.Warning => "\u001b[33m",
        LogLevel.Error => "\u001b[31m",
        LogLevel.Critical => "\u001b[1;31m",
        _ => null,
    };
}
