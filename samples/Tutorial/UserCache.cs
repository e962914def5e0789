using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Mode;

namespace Tutorial;

/// <summary>A user, as the seed's <c>User.objects.get(user_id)</c> returns it.</summary>
public sealed record User(string Id, string Name);

/// <summary>
/// The seed's user cache, "which has a background coroutine used to remove old expired items from
/// the cache": <see cref="RemoveExpired"/> runs every 10 seconds once the Mode generator wires
/// <see cref="TimerAttribute"/> (the class is <c>partial</c> for it). Thread-safe: the web server
/// looks users up from its own thread.
/// </summary>
public sealed partial class UserCache : Service
{
    // Mode creates the dict in on_init; a field initializer does that in C# (and before any lookup).
    private readonly ConcurrentDictionary<string, (User User, long ExpiresAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>How long a looked-up user stays cached.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromSeconds(30);

    internal bool CrashAfterStart { get; init; }

    /// <summary>The user with <paramref name="userId"/>, from the cache or else from the (simulated) store.</summary>
    public async ValueTask<User> LookupAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue(userId, out var entry))
        {
            return entry.User;
        }

        var user = await UserStore.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        var expiresAt = TimeProvider.GetTimestamp() + (long)(TimeToLive.TotalSeconds * TimeProvider.TimestampFrequency);
        _cache[userId] = (user, expiresAt);
        return user;
    }

    protected override ValueTask OnStartedAsync(CancellationToken cancellationToken)
    {
        if (RestartCount > 0)
        {
            Log.LogInformation("Back after restart #{Count}", RestartCount);
        }

        if (CrashAfterStart && RestartCount == 0)
        {
            AddFuture(CrashSoonAsync(), "UserCache.crash");
        }

        return default;
    }

    [Timer(10)] // execute every 10 seconds.
    private void RemoveExpired()
    {
        Console.WriteLine("REMOVING EXPIRED USERS");
        var now = TimeProvider.GetTimestamp();
        foreach (var (id, entry) in _cache)
        {
            if (entry.ExpiresAt <= now)
            {
                _cache.TryRemove(id, out _);
            }
        }
    }

    private static async Task CrashSoonAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("crash requested by --crash-after-start");
    }

    /// <summary>Stands in for the seed's <c>User.objects</c> database.</summary>
    private static class UserStore
    {
        public static async ValueTask<User> GetAsync(string userId, CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return new User(userId, "user-" + userId.ToUpper(CultureInfo.InvariantCulture));
        }
    }
}
