using NetMQ;
using NetMQ.Sockets;
using Robotics.SimBridge.Protocol;
using Robotics.SimBridge.Tracing;

namespace Robotics.SimBridge.Server;

/// <summary>
/// Reads [identity][request] messages from the ROUTER and answers each with [identity][reply], at most
/// a bounded number per wake-up. Frames are read in place from NetMQ's buffers; the only copy of a
/// reply is into the outgoing frame.
/// </summary>
internal sealed class RouterReceiver
{
    private readonly RouterSocket router;
    private readonly BridgeRequestHandler handler;
    private readonly int maxDrain;
    private readonly byte[] identity = new byte[256];

    public RouterReceiver(RouterSocket router, BridgeRequestHandler handler, int maxDrain)
    {
        this.router = router;
        this.handler = handler;
        this.maxDrain = maxDrain;
    }

    public void Drain()
    {
        var msg = new Msg();
        msg.InitEmpty();
        try
        {
            for (int handled = 0; handled < maxDrain; handled++)
            {
                if (!router.TryReceive(ref msg, TimeSpan.Zero))
                {
                    return;
                }

                int identityLength = Math.Min(msg.Size, identity.Length);
                msg.Slice()[..identityLength].CopyTo(identity);
                if (!msg.HasMore)
                {
                    continue; // ROUTER always prefixes the identity; nothing to answer
                }

                router.TryReceive(ref msg, TimeSpan.Zero);
                long pickedUp = StepTrace.Enabled ? StepTrace.Now() : 0;
                uint tracedStep = pickedUp != 0 && BridgeFrameHeader.TryRead(msg.Slice(), out var header, out _) && header.Type == BridgeMessageType.Step
                    ? header.RequestId
                    : 0;
                ReadOnlySpan<byte> reply;
                if (msg.HasMore)
                {
                    // Answered before the other parts are read, which reuse msg: the reply carries the first part's id.
                    reply = handler.RefuseMultipart(msg.Slice());
                    DiscardRest(ref msg);
                }
                else
                {
                    reply = handler.Handle(identity.AsSpan(0, identityLength), msg.SliceAsMemory());
                }

                // Only a step that was answered with its results stepped; a refused one (an error reply) leaves no row.
                bool traced = tracedStep != 0 && BridgeFrameHeader.TryRead(reply, out var replyHeader, out _) && replyHeader.Type == BridgeMessageType.StepReply;
                Send(identity.AsSpan(0, identityLength), more: true);
                Send(reply, more: false);
                if (traced)
                {
                    StepTrace.Bridge(identity.AsSpan(0, identityLength), tracedStep, pickedUp,
                        StepTrace.Nanoseconds(handler.LastStepStartTicks), StepTrace.Nanoseconds(handler.LastStepEndTicks), StepTrace.Now());
                }
            }
        }
        finally
        {
            msg.Close();
        }
    }

    private void DiscardRest(ref Msg msg)
    {
        while (msg.HasMore && router.TryReceive(ref msg, TimeSpan.Zero))
        {
        }
    }

    private void Send(ReadOnlySpan<byte> frame, bool more)
    {
        var outgoing = new Msg();
        outgoing.InitPool(frame.Length);
        frame.CopyTo(outgoing.Slice());
        // A ROUTER drops a reply to a client that went away instead of blocking.
        router.TrySend(ref outgoing, TimeSpan.Zero, more);
        outgoing.Close();
    }
}
