import ATProtocol
import CoAP
import LwM2M
import Runtime
import Testing
@testable import ModuleCore

/// RSTs, timeouts and server-side changes, over a real server node.
@Suite("Device: resets, timeouts, server changes")
struct DeviceFailureTests {
    @Test func aNotificationTheServerNoLongerWantsIsReset() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        let observation = try DeviceCTIoTFlowTests.observed(bench)
        bench.serverForgets(observation)
        bench.run(for: 100)
        let lines = bench.type("AT+QLANOTIFY=19,0,0,2,1,\"01\",0,1")
        let con = try #require(bench.sentByDevice.last?.message)
        #expect(con.type == .confirmable)
        #expect(lines == ["OK", "+QLAURC: \"report\",\(con.messageID)", "+QLANOTIFY: 0",
                          "+QLAURC: \"lw_event\",0,5,\(con.messageID)", "+QLAURC: \"report_ack\",5,\(con.messageID)"])
        // The observation is over on both sides.
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,1,\"01\",0,1") == ["ERROR"])
        #expect(bench.device.node.session.node?.machine.observedPaths == [])
    }

    /// RFC 7641 §4.5: a NON notification a day after the observation (or its last CON) goes CON
    /// all the same, so a server that vanished is noticed. The TE asked NON, so nothing is
    /// printed while it is in flight; when it times out the module says so the way it says so
    /// for a CON it was asked for (`"report_ack",1,<mid>`), and the observation is over.
    @Test func aDailyCONNotificationNobodyAcknowledgesEndsTheObservation() throws {
        let bench = DeviceBench()
        // A lifetime long enough that no Update falls within the day (interval about 52.8 h).
        DeviceCTIoTFlowTests.registered(bench, lifetime: 200_000)
        _ = try DeviceCTIoTFlowTests.observed(bench)
        bench.run(for: 86_400_000 - 1_000)
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,1,\"01\",0,0") == ["OK", "+QLANOTIFY: 0"])
        #expect(bench.sentByDevice.last?.message.type == .nonConfirmable)

        bench.network.dropFilter = { $0.from == DeviceBench.serverAddress }
        bench.run(for: 1_000)
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,1,\"02\",0,0", settle: 0) == ["OK", "+QLANOTIFY: 0"])
        let con = try #require(bench.sentByDevice.last?.message)
        #expect(con.type == .confirmable && con.payload == [2])
        // The module's schedule: sends at 0, 2, 6, 14, 30, 62 s; given up at 126 s.
        #expect(bench.run(for: 125_999) == [])
        #expect(bench.run(for: 1) == ["+QLAURC: \"report_ack\",1,\(con.messageID)"])
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,1,\"03\",0,0") == ["ERROR"])
        #expect(bench.device.node.session.node?.machine.observedPaths == [])
    }

    @Test func anUpdateAnsweredWithRSTIsResultFive() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        // The server's socket answers the Update with RST (say it restarted and forgot everything).
        bench.network.dropFilter = { $0.from == DeviceBench.deviceAddress }
        #expect(bench.type("AT+QLAUPDATE=0,600", settle: 0) == ["OK"])
        let update = try #require(bench.sentByDevice.last?.message)
        bench.network.send([Datagram(Message(type: .reset, code: .empty, messageID: update.messageID).encoded(),
                                     peer: DeviceBench.deviceAddress)], from: DeviceBench.serverAddress)
        #expect(bench.run(for: 100) == ["+QLAURC: \"lw_event\",0,5,\(update.messageID)",
                                        "+QLAUPDATE: 5,\(update.messageID)"])
        #expect(bench.module.status == .registered)
    }

    @Test func aRegisterRefusedWith403IsResult403() {
        let bench = DeviceBench()
        // A hand-made server socket answers the Register with 4.03.
        bench.network.remove(at: DeviceBench.serverAddress)
        #expect(bench.type("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",300,3") == ["OK"])
        #expect(bench.type("AT+QLAREG", settle: 0) == ["OK"])
        let register = bench.sentByDevice.last?.message
        if let register {
            var refusal = Message(type: .acknowledgement, code: Code(4, 3), messageID: register.messageID, token: register.token)
            refusal.payload = []
            bench.network.send([Datagram(refusal.encoded(), peer: DeviceBench.deviceAddress)], from: DeviceBench.serverAddress)
        }
        #expect(register != nil)
        #expect(bench.run(for: 100) == ["+QLAREG: 403"])
        #expect(bench.module.status == .unregistered)
    }

    @Test func anUnansweredRegisterTimesOutOnTheModulesSchedule() {
        let bench = DeviceBench()
        bench.network.remove(at: DeviceBench.serverAddress)
        #expect(bench.type("AT+QLACFG=\"retransmit\",2,4") == ["OK"])
        #expect(bench.type("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",300,3") == ["OK"])
        let start = bench.now.milliseconds
        #expect(bench.type("AT+QLAREG", settle: 0) == ["OK"])
        #expect(bench.run(for: 61_999) == [])
        #expect(bench.run(for: 1) == ["+QLAREG: 1"])
        let times = bench.sentByDevice.filter { $0.message.uriPath == ["rd"] }.map { $0.at.milliseconds - start }
        #expect(times == [0, 2_000, 6_000, 14_000, 30_000])
        #expect(bench.module.status == .unregistered)
        // The module may register again.
        #expect(bench.type("AT+QLAREG", settle: 0) == ["OK"])
    }

    @Test func theServerWritingTheLifetimeIsReported() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench)
        let (id, _) = bench.serverDoes(.write(LwM2MPath(1, 0, 1), EncodedContent(format: .textPlain, bytes: Array("600".utf8))))
        #expect(bench.run(for: 100) == ["+QLAURC: \"lifetime_changed\",600"])
        #expect(bench.operationResult(id)?.code == .changed)
        // The client told the server with an Update, and the engine's clock follows the new lifetime.
        #expect(bench.registration?.lifetime == 600)
        #expect(bench.module.configuredServer?.configuration.lifetime == 600)
        let (_, _) = bench.serverDoes(.write(LwM2MPath(1, 0, 7), EncodedContent(format: .textPlain, bytes: Array("UQ".utf8))))
        #expect(bench.run(for: 100) == ["+QLAURC: \"binding_changed\",UQ"])
    }

    @Test func theEnginesUpdateIsTheOnlyAutomaticOne() throws {
        let bench = DeviceBench()
        DeviceCTIoTFlowTests.registered(bench, lifetime: 300)
        let registeredAt = try #require(bench.sentByDevice.first { $0.message.uriPath == ["rd"] }).at.milliseconds
        // Lifetime 300: the engine's interval is 250 s; nothing else updates before.
        bench.run(for: 249_000)
        #expect(bench.sentByDevice.filter { $0.message.code == .post && $0.message.uriPath.first == "rd" && $0.message.uriPath.count == 2 }.isEmpty)
        let lines = bench.run(for: 2_000)
        #expect(lines == ["+QLAURC: \"ping\",0"])
        let updates = bench.sentByDevice.filter { $0.message.code == .post && $0.message.uriPath.count == 2 }
        #expect(updates.map { $0.at.milliseconds - registeredAt } == [250_000])
    }
}
