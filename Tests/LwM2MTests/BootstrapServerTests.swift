import CoAP
import Testing
@testable import LwM2M

@Suite struct BootstrapServerTests {
    let client = PeerAddress(host: "10.0.0.2", port: 5000)
    let steps: [BootstrapStep] = [
        .delete(LwM2MPath(0)), .delete(LwM2MPath(1)),
        .write(LwM2MPath(0, 1), EncodedContent(format: .tlv, bytes: [0xC8, 0x00, 0x01, 0x41])),
        .write(LwM2MPath(1, 0), EncodedContent(format: .tlv, bytes: [0xC1, 0x00, 0x01])),
    ]

    func bootstrapRequest(_ ep: String?) -> Message {
        var m = Message.request(.post, token: Token([9]) ?? .empty, path: ["bs"], query: ep.map { ["ep=\($0)"] } ?? [])
        m.messageID = 10
        return m
    }

    func sent(_ actions: [BootstrapServer.Action]) -> [Message] {
        actions.compactMap { if case .send(let m, _) = $0 { m } else { nil } }
    }

    func events(_ actions: [BootstrapServer.Action]) -> [BootstrapServer.Event] {
        actions.compactMap { if case .event(let e) = $0 { e } else { nil } }
    }

    @Test func runsEveryStepInOrderThenFinishes() {
        var server = BootstrapServer(configurations: ["dev": steps])
        var out = server.handle(bootstrapRequest("dev"), from: client, now: .zero)
        var messages = sent(out)
        #expect(messages.first?.code == .changed && messages.first?.messageID == 10)
        #expect(events(out) == [.requested(endpoint: "dev", from: client)])
        var seen: [String] = []
        var request = messages[1]
        while true {
            seen.append("\(request.code) \(request.path) \(request.contentFormat.map(String.init) ?? "-")")
            var ack = Message(type: .acknowledgement, code: request.code == .delete ? .deleted : .changed,
                              messageID: 1, token: request.token)
            if request.uriPath == ["bs"] { ack.code = .changed }
            out = server.receive(response: ack, from: client, now: .zero)
            messages = sent(out)
            if messages.isEmpty { break }
            #expect(messages.count == 1)
            request = messages[0]
        }
        #expect(seen == ["0.04 /0 -", "0.04 /1 -", "0.03 /0/1 11542", "0.03 /1/0 11542", "0.02 /bs -"])
        #expect(events(out) == [.finished(endpoint: "dev")])
        #expect(server.activeEndpoints.isEmpty)
    }

    @Test func aFailedStepAbortsWithoutFinish() {
        var server = BootstrapServer(defaultSteps: steps)
        let first = sent(server.handle(bootstrapRequest("any"), from: client, now: .zero))[1]
        let out = server.receive(response: Message(type: .acknowledgement, code: .badRequest, token: first.token),
                                 from: client, now: .zero)
        #expect(sent(out).isEmpty)
        #expect(events(out) == [.failed(endpoint: "any", during: "Delete /0", .response(.badRequest))])
    }

    @Test func aTimeoutAbortsAndStrayResponsesAreIgnored() {
        var server = BootstrapServer(defaultSteps: [])
        let finish = sent(server.handle(bootstrapRequest("a"), from: client, now: .zero))[1]
        #expect(finish.uriPath == ["bs"] && finish.code == .post)
        #expect(server.receive(response: Message(type: .acknowledgement, code: .changed, token: Token([1]) ?? .empty),
                               from: client, now: .zero).isEmpty)
        #expect(server.exchangeFailed(token: Token([1]) ?? .empty, .timeout, now: .zero).isEmpty)
        #expect(events(server.exchangeFailed(token: finish.token, .timeout, now: .zero))
                == [.failed(endpoint: "a", during: "Bootstrap-Finish", .timeout)])
    }

    @Test func unknownOrMissingEndpointIsBadRequest() {
        var server = BootstrapServer(configurations: ["dev": steps])
        for ep in ["other", nil] {
            let out = server.handle(bootstrapRequest(ep), from: client, now: .zero)
            #expect(sent(out).map(\.code) == [.badRequest])
        }
        var get = bootstrapRequest("dev")
        get.code = .get
        #expect(sent(server.handle(get, from: client, now: .zero)).map(\.code) == [.methodNotAllowed])
    }
}
