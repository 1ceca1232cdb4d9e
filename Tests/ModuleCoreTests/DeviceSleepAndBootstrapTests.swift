import ATProtocol
import CoAP
import LwM2M
import Runtime
import Testing
@testable import ModuleCore

@Suite("Device: deep sleep and the Andlink flow")
struct DeviceSleepAndBootstrapTests {
    @Test func observationsSurviveDeepSleepAndTheSessionResumesWithAnUpdate() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        let observation = try DeviceCTIoTFlowTests.observed(bench)
        #expect(bench.type("AT+QSCLK=1") == ["OK"])
        #expect(bench.run(for: 10_000) == ["+QNBIOEVENT: \"ENTER DEEPSLEEP\""])
        let sentBefore = bench.sentByDevice.count
        bench.run(for: 60_000)
        #expect(bench.sentByDevice.count == sentBefore)
        #expect(bench.device.node.session.isSuspended)

        let lines = bench.type("AT+QSCLK=0")
        #expect(lines == ["+QNBIOEVENT: \"EXIT DEEPSLEEP\"", "+QLAURC: \"recovered\",0", "OK"])
        let resume = try #require(bench.sentByDevice.last?.message)
        #expect(resume.code == .post && resume.uriPath.count == 2 && resume.uriPath.first == "rd")
        #expect(bench.module.status == .registered)

        let notify = bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023238\",0,1,2")
        let con = try #require(bench.sentByDevice.last?.message)
        #expect(notify == ["OK", "+QLAURC: \"report\",\(con.messageID)", "+QLANOTIFY: 0",
                           "+QLAURC: \"report_ack\",0,\(con.messageID)"])
        // The server's observation from before the sleep got it.
        #expect(bench.notifications(observation).map(\.content) == [EncodedContent(format: .opaque, bytes: hex("020001000400023238"))])
    }

    @Test func aServerRequestDuringDeepSleepIsNeverHeard() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        #expect(bench.type("AT+QSCLK=1") == ["OK"])
        #expect(bench.run(for: 10_000) == ["+QNBIOEVENT: \"ENTER DEEPSLEEP\""])
        let (id, _) = bench.serverDoes(.read(LwM2MPath(19, 0, 0)))
        #expect(bench.run(for: 200_000) == [])
        #expect(bench.operationFailure(id) == .timeout)
    }

    static let bootstrapAddress = PeerAddress(host: "lwm.home.komect.com", port: 5683)
    static let workingAddress = PeerAddress(host: "192.0.2.1", port: 5683)
    static let endpoint = "866971031275899"

    @Test func andlinkBootstrapsThenReadsWritesAndTakesSendData() throws {
        let bench = DeviceBench(server: LwM2MServer(acceptsSendFromUnregistered: false), serverAddress: Self.workingAddress)
        let bootstrap = bench.network.add(LwM2MServerNode(
            machine: LwM2MServer(bootstrap: BootstrapServer(configurations: [
                Self.endpoint: BootstrapStep.serverAccount(uri: "coap://192.0.2.1:5683", lifetime: 30, binding: "UQ"),
            ])), endpoint: CoAPEndpoint(seed: 5)), at: Self.bootstrapAddress)
        _ = bootstrap
        #expect(bench.type("AT+QLACFG=\"platform\",2") == ["OK"])
        #expect(bench.type("AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0") == ["OK"])
        #expect(bench.type("AT+QLACONFIG=1,\"lwm.home.komect.com\",5683,\"\(Self.endpoint)\",30,3") == ["OK"])
        #expect(bench.type("AT+QLAREG") == ["OK", "+QLAURC: \"binding_changed\",UQ", "+QLAURC: \"bs_finished\"", "+QLAREG: 0"])
        let registration = try #require(bench.server.node.machine.registration(endpoint: Self.endpoint))
        #expect(registration.binding == "UQ" && registration.lifetime == 30)
        // The handed-out working server is what AT+QLACONFIG? shows and what is saved.
        #expect(bench.type("AT+QLACONFIG?") == ["+QLACONFIG: 0,\"192.0.2.1\",5683,\"\(Self.endpoint)\",30,3,1", "OK"])
        #expect(bench.savedState?.workingServer?.host == "192.0.2.1")
        // The product id is served by the module itself.
        let productID = bench.server.withNode { node, now in
            node.command(now: now) { $0.perform(.read(LwM2MPath(3, 0, 17)), on: Self.endpoint, now: now) }
        }
        bench.network.send(productID.1, from: Self.workingAddress)
        #expect(bench.run(for: 100) == [])
        #expect(serverResult(bench, productID.0)?.content?.bytes == Array("500677".utf8))

        let read = bench.server.withNode { node, now in
            node.command(now: now) { $0.perform(.read(LwM2MPath(19, 1, 0)), on: Self.endpoint, now: now) }
        }
        bench.network.send(read.1, from: Self.workingAddress)
        let readMID = try #require(read.1.first.flatMap { try? Message(decoding: $0.bytes) }?.messageID)
        #expect(bench.run(for: 100) == ["+QLAURC: \"read\",\(readMID),19,1,0"])
        let json = "{\"outletStatus\":\"1\"}"
        #expect(bench.type("AT+QLARDRSP=\(readMID),1,19,1,0,1,\(json.utf8.count),\"\(json)\",0") == ["OK", "+QLARDRSP: 0"])
        #expect(serverResult(bench, read.0)?.content == EncodedContent(format: .textPlain, bytes: Array(json.utf8)))

        // QLASENDDATA: POST /dp with the TE's bytes unchanged; CON gets "send_ack".
        let payload = "5b7b226e223a222f31392f312f30227d5d"
        let non = bench.type("AT+QLASENDDATA=2,\(payload.count / 2),\"\(payload)\",0")
        let sent = try #require(bench.sentByDevice.last?.message)
        #expect(sent.uriPath == ["dp"] && sent.type == .nonConfirmable && sent.payload == hex(payload))
        #expect(sent.uriQuery == ["ep=\(Self.endpoint)"])
        #expect(non == ["OK", "+QLASENDDATA: 0,\(sent.messageID)"])
        let con = bench.type("AT+QLASENDATA=2,\(payload.count / 2),\"\(payload)\",1")
        let conSent = try #require(bench.sentByDevice.last { $0.message.uriPath == ["dp"] }?.message)
        #expect(conSent.type == .confirmable)
        #expect(con == ["OK", "+QLASENDATA: 0,\(conSent.messageID)", "+QLAURC: \"send_ack\",0,\(conSent.messageID)"])
        let received = bench.serverEvents.filter { if case .sendReceived = $0.event { true } else { false } }
        #expect(received.count == 2)
    }

    func serverResult(_ bench: DeviceBench, _ id: DeviceManagement.OperationID?) -> OperationResponse? {
        bench.operationResult(id)
    }
}
