using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Engram.DaemonClient.ChatClient;

/// <summary>The one registration that points an <see cref="IChatClient"/> application at a board.</summary>
public static class ChatClientServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IChatClient"/> as an <see cref="EngramChatClient"/> on the daemon(s) these options name.</summary>
    public static IServiceCollection AddEngramChatClient(this IServiceCollection services, DaemonClientOptions options)
    {
        services.TryAddSingleton<IChatClient>(_ => new EngramChatClient(options));
        return services;
    }
}
