import ATProtocol
import CoAP
import LwM2M
import Runtime
import Testing
@testable import ModuleCore

/// The session's translation at its edges: object changes while registered, instance writes in
/// parts, payloads that do not decode, answers nobody waits for.
@Suite("Session: requests and their edges")
struct SessionRequestTests {
    @Test func anObjectAddedWhileRegisteredIsAnnouncedAndAnsweredByTheTE() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        let lines = bench.type("AT+QLAADDOBJ=20,0,2,1,2")
        let update = try #require(bench.sentByDevice.last?.message)
        #expect(update.code == .post && String(decoding: update.payload, as: UTF8.self).contains("</20/0>"))
        #expect(lines == ["OK", "+QLAADDOBJ: 0"])
        #expect(bench.registration?.objectLinks.compactMap(\.path).contains(LwM2MPath(20, 0)) == true)
        let (_, mid) = bench.serverDoes(.read(LwM2MPath(20, 0, 2)))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100) == ["+QLAURC: \"read\",\(messageID),20,0,2"])
        // Deleted again: the server's next read is 4.04 from the stack, no URC.
        #expect(bench.type("AT+QLADELOBJ=20") == ["OK", "+QLADELOBJ: 0"])
        let (gone, _) = bench.serverDoes(.read(LwM2MPath(20, 0, 2)))
        #expect(bench.run(for: 100) == [])
        #expect(bench.operationFailure(gone) == .response(.notFound))
    }

    @Test func anInstanceWriteInTLVIsPrintedPartByPart() throws {
        let bench = DeviceBench()
        #expect(bench.type("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",300,3") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,0,2,0,1") == ["OK"])
        #expect(bench.type("AT+QLAREG") == ["OK", "+QLAREG: 0"])
        let tlv = TLV.encode(LwM2MNode.instance(ObjectInstance(id: 0, resources: [.single(0, .opaque([1, 2])), .single(1, .integer(5))])))
        let (id, mid) = bench.serverDoes(.write(LwM2MPath(19, 0), EncodedContent(format: .tlv, bytes: tlv), mode: .partialUpdate))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100) == ["+QLAURC: \"write\",\(messageID),19,0,0,2,2,\"0102\",1",
                                        "+QLAURC: \"write\",\(messageID),19,0,1,2,1,\"05\",0"])
        #expect(bench.type("AT+QLAWRRSP=\(messageID),11") == ["OK", "+QLAWRRSP: 0"])
        #expect(bench.operationFailure(id) == .response(.badRequest))
    }

    @Test func aWritePayloadThatDoesNotDecodeIsRefusedWithoutAURC() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        let (id, _) = bench.serverDoes(.write(LwM2MPath(19, 0, 0), EncodedContent(format: .tlv, bytes: [0xFF])))
        #expect(bench.run(for: 100) == [])
        #expect(bench.operationFailure(id) == .response(.badRequest))
        #expect(bench.diagnostics.contains { $0.contains("does not decode") })
    }

    @Test func requestsWithoutASessionEndInTheirResultCodes() {
        var session = ModuleSession()
        let now = Instant(milliseconds: 5)
        #expect(session.perform(SessionRequest(id: SessionRequestID(1), action: .deregister), now: now).isEmpty)
        #expect(session.perform(SessionRequest(id: SessionRequestID(2), action: .update(lifetime: nil, binding: nil, rai: .none)), now: now).isEmpty)
        #expect(session.perform(SessionRequest(id: SessionRequestID(3), action: .respond(ServerResponse(
            messageID: 9, operation: .read, path: LwM2MPath(19, 0, 0), result: .content))), now: now).isEmpty)
        #expect(session.perform(SessionRequest(id: SessionRequestID(4), action: .send(DataSend(payload: .opaque([1]), confirmable: false))), now: now).isEmpty)
        #expect(session.takeEvents() == [
            .outcome(SessionRequestID(1), .completed(.notSent)),
            .outcome(SessionRequestID(2), .completed(.otherError)),
            .outcome(SessionRequestID(3), .completed(.notSent)),
            .outcome(SessionRequestID(4), .completed(.notSent)),
        ])
        #expect(session.nextDeadline == nil)
    }

    @Test func aSuspendedSessionHearsNothingAndDiscardForgetsIt() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        var session = bench.device.node.session
        _ = session.perform(SessionRequest(id: SessionRequestID(900), action: .suspend), now: bench.now)
        #expect(session.isSuspended && session.nextDeadline == nil)
        let read = DeviceOperation.read(LwM2MPath(19, 0, 0)).request(token: Token([1]) ?? .empty)
        var message = read
        message.messageID = 77
        message.type = .confirmable
        #expect(session.receive(Datagram(message.encoded(), peer: DeviceBench.serverAddress), now: bench.now).isEmpty)
        #expect(session.takeEvents().isEmpty)
        _ = session.perform(SessionRequest(id: SessionRequestID(901), action: .discard), now: bench.now)
        #expect(session.node == nil && !session.isSuspended)
    }
}
