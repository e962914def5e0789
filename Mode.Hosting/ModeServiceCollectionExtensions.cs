using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Mode.Hosting;

/// <summary>Registers Mode service trees with the Generic Host.</summary>
public static class ModeServiceCollectionExtensions
{
    /// <summary>
    /// Runs a <typeparamref name="TService"/> tree with the host (see <see cref="ModeHostedService"/>).
    /// <typeparamref name="TService"/> is registered as a singleton (unless it already is) and created by
    /// the container, so its constructor may take other services.
    /// </summary>
    /// <typeparam name="TService">The root service type.</typeparam>
    /// <param name="services">The host's service collection.</param>
    /// <param name="configure">Optional: adjusts the <see cref="ModeHostedServiceOptions"/> of this tree.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> is already registered with <c>AddModeService</c>.</exception>
    public static IServiceCollection AddModeService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TService>(
        this IServiceCollection services,
        Action<ModeHostedServiceOptions>? configure = null)
        where TService : class, IService
    {
        ArgumentNullException.ThrowIfNull(services);
        ThrowIfRegistered<TService>(services);
        services.TryAddSingleton<TService>();
        return AddCore(services, static sp => sp.GetRequiredService<TService>(), configure);
    }

    /// <summary>
    /// Runs the tree that <paramref name="factory"/> creates with the host (see
    /// <see cref="ModeHostedService"/>). The factory is called once, when the host creates its hosted
    /// services; the root is also registered as a <typeparamref name="TService"/> singleton unless that
    /// type is already registered.
    /// </summary>
    /// <typeparam name="TService">The root service type.</typeparam>
    /// <param name="services">The host's service collection.</param>
    /// <param name="factory">Creates the root service.</param>
    /// <param name="configure">Optional: adjusts the <see cref="ModeHostedServiceOptions"/> of this tree.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> is already registered with <c>AddModeService</c>.</exception>
    public static IServiceCollection AddModeService<TService>(
        this IServiceCollection services,
        Func<IServiceProvider, TService> factory,
        Action<ModeHostedServiceOptions>? configure = null)
        where TService : class, IService
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        ThrowIfRegistered<TService>(services);
        services.TryAddSingleton(static sp => sp.GetRequiredService<ModeHostedService<TService>>().Root);
        return AddCore(services, factory, configure);
    }

    private static IServiceCollection AddCore<TService>(
        IServiceCollection services,
        Func<IServiceProvider, TService> factory,
        Action<ModeHostedServiceOptions>? configure)
        where TService : class, IService
    {
        var options = new ModeHostedServiceOptions();
        configure?.Invoke(options);
        services.AddSingleton(sp => new ModeHostedService<TService>(factory(sp), sp, options));
        services.AddSingleton<ModeHostedService>(static sp => sp.GetRequiredService<ModeHostedService<TService>>());
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<ModeHostedService<TService>>());
        return services;
    }

    private static void ThrowIfRegistered<TService>(IServiceCollection services)
        where TService : class, IService
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ModeHostedService<TService>))
            {
                throw new InvalidOperationException(
                    $"AddModeService<{typeof(TService).Name}> was called twice; each root service type runs once per host.");
            }
        }
    }
}
