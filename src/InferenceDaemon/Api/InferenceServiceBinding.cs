using Engram.Contract.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Engram.InferenceDaemon.Api;

/// <summary>
/// engram.v1.Inference bound by hand rather than through the generated base class, for one reason: a request
/// that cannot be parsed must be refused with INTERNAL (gRPC's code for that) and a short message, and the
/// generated marshaller would let the parser's exception surface as UNKNOWN "Exception was thrown by handler".
/// Reflection still describes the service from the generated descriptor (<see cref="Descriptor"/>).
/// </summary>
internal static class InferenceServiceBinding
{
    private const string ServiceName = "engram.v1.Inference";

    /// <summary>Read by server reflection through the <see cref="BindServiceMethodAttribute"/> on <see cref="InferenceServiceBase"/>.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => Contract.V1.Inference.Descriptor;

    private static readonly Method<GenerateRequest, GenerateResponse> Generate = new(
        MethodType.ServerStreaming, ServiceName, "Generate", Request(GenerateRequest.Parser), Response<GenerateResponse>());

    private static readonly Method<GetHealthRequest, HealthReport> GetHealth = new(
        MethodType.Unary, ServiceName, "GetHealth", Request(GetHealthRequest.Parser), Response<HealthReport>());

    public static void BindService(ServiceBinderBase binder, InferenceServiceBase? service)
    {
        binder.AddMethod(Generate, service is null ? null : service.Generate);
        binder.AddMethod(GetHealth, service is null ? null : service.GetHealth);
    }

    private static Marshaller<T> Request<T>(MessageParser<T> parser) where T : IMessage<T> => Marshallers.Create<T>(
        Serialize,
        context =>
        {
            try
            {
                return parser.ParseFrom(context.PayloadAsReadOnlySequence());
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new RpcException(new Status(StatusCode.Internal, $"the request is not a valid {typeof(T).Name} message: {ex.Message}"));
            }
        });

    private static Marshaller<T> Response<T>() where T : IMessage<T> => Marshallers.Create<T>(
        Serialize,
        static _ => throw new NotSupportedException("the server never reads its own responses"));

    private static void Serialize<T>(T message, SerializationContext context) where T : IMessage<T>
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}

/// <summary>The engram.v1.Inference methods; <see cref="InferenceServiceBinding"/> binds them.</summary>
[BindServiceMethod(typeof(InferenceServiceBinding), nameof(InferenceServiceBinding.BindService))]
internal abstract class InferenceServiceBase
{
    public abstract Task Generate(GenerateRequest request, IServerStreamWriter<GenerateResponse> responseStream, ServerCallContext context);

    public abstract Task<HealthReport> GetHealth(GetHealthRequest request, ServerCallContext context);
}
