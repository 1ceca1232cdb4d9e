import ATProtocol
import CoAP
import LwM2M
import Runtime
import Testing
@testable import ModuleCore

/// Chapter 4.2.2 (CT IoT) end to end: AT lines in, real CoAP datagrams to a real LwM2M server
/// node on a virtual network, the URCs the note prints out.
@Suite("Device: the CT IoT flow over a real server")
struct DeviceCTIoTFlowTests {
    static let data = LwM2MPath(19, 0, 0)

    /// Configures, adds 19/0 and 19/1, registers.
    static func registered(_ bench: DeviceBench, lifetime: Int64 = 300) {
        #expect(bench.type("AT+QLACFG=\"platform\",0") == ["OK"])
        #expect(bench.type("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",\(lifetime),3") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,0") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0") == ["OK"])
        #expect(bench.type("AT+QLAREG") == ["OK", "+QLAREG: 0"])
    }

    /// The server observes /19/0/0 and the TE answers as in the note; returns the observation.
    static func observed(_ bench: DeviceBench) throws -> DeviceManagement.OperationID {
        let (id, mid) = bench.serverDoes(.observe(data))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100) == ["+QLAURC: \"observe\",\(messageID),0,19,0,0"])
        #expect(bench.type("AT+QLAOBSRSP=\(messageID),1,19,0,0,2,9,\"020001000400023238\",0")
                == ["OK", "+QLAOBSRSP: 0"])
        return try #require(id)
    }

    @Test func theWholeScriptOf4_2_2() throws {
        let bench = DeviceBench()
        Self.registered(bench)
        let registration = try #require(bench.registration)
        #expect(registration.lifetime == 300)
        #expect(registration.objectLinks.compactMap(\.path).contains(LwM2MPath(19, 0)))
        #expect(registration.objectLinks.compactMap(\.path).contains(LwM2MPath(19, 1)))

        // The observe: its URC carries the message id of the server's datagram; the TE's answer
        // reaches the server as 2.05 with the TE's bytes and Observe 0.
        let observation = try Self.observed(bench)
        let first = try #require(bench.operationResult(observation))
        #expect(first.code == .content && first.observe == 0)
        #expect(first.content == EncodedContent(format: .opaque, bytes: hex("020001000400023238")))

        // NON notification.
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0") == ["OK", "+QLANOTIFY: 0"])
        let non = try #require(bench.sentByDevice.last?.message)
        #expect(non.type == .nonConfirmable && non.observe == 1 && non.payload == hex("020001000400023438"))
        #expect(bench.notifications(observation).map(\.content) == [EncodedContent(format: .opaque, bytes: hex("020001000400023438"))])

        // CON notification: "report" with the datagram's message id, then "report_ack" on its ACK.
        let lines = bench.type("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,1")
        let con = try #require(bench.sentByDevice.last?.message)
        #expect(con.type == .confirmable && con.observe == 2)
        #expect(lines == ["OK", "+QLAURC: \"report\",\(con.messageID)", "+QLANOTIFY: 0",
                          "+QLAURC: \"report_ack\",0,\(con.messageID)"])
        #expect(bench.notifications(observation).count == 2)

        // Update with a new lifetime: the result line carries the Update's message id.
        let updateLines = bench.type("AT+QLAUPDATE=0,100")
        let update = try #require(bench.sentByDevice.last { $0.message.code == .post }?.message)
        #expect(update.uriQuery.contains("lt=100"))
        #expect(updateLines == ["OK", "+QLAUPDATE: 0,\(update.messageID)"])
        #expect(bench.registration?.lifetime == 100)

        #expect(bench.type("AT+QLADEREG") == ["OK", "+QLADEREG: 0"])
        #expect(bench.registration == nil)
        #expect(bench.module.status == .deregistered)
    }

    @Test func aReadOfAnInstanceIsAnsweredInPartsAndSentAsOneTLV() throws {
        let bench = DeviceBench()
        #expect(bench.type("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",300,3") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,0,2,0,1") == ["OK"])
        #expect(bench.type("AT+QLAREG") == ["OK", "+QLAREG: 0"])
        let (id, mid) = bench.serverDoes(.read(LwM2MPath(19, 0)))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100) == ["+QLAURC: \"read\",\(messageID),19,0,-1"])
        #expect(bench.type("AT+QLARDRSP=\(messageID),1,19,0,1,1,5,\"abcde\",1") == ["OK"])
        // Nothing reaches the server before index 0.
        #expect(bench.operationResult(id) == nil)
        #expect(bench.type("AT+QLARDRSP=\(messageID),1,19,0,0,2,2,\"CAFE\",0") == ["OK", "+QLARDRSP: 0"])
        let response = try #require(bench.operationResult(id))
        #expect(response.code == .content)
        let content = try #require(response.content)
        #expect(content.format == .tlv)
        let node = try TLV.decode(content.bytes, at: LwM2MPath(19, 0), definition: nil)
        #expect(node == .instance(ObjectInstance(id: 0, resources: [.single(0, .opaque([0xCA, 0xFE])),
                                                                      .single(1, .opaque(Array("abcde".utf8)))])))
        // Answering the same id again is an error.
        #expect(bench.type("AT+QLARDRSP=\(messageID),1,19,0,0,2,2,\"CAFE\",0") == ["ERROR"])
    }

    @Test func aResourceReadAnsweredWithAnErrorCode() throws {
        let bench = DeviceBench()
        Self.registered(bench)
        let (id, mid) = bench.serverDoes(.read(LwM2MPath(19, 1, 0)))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100) == ["+QLAURC: \"read\",\(messageID),19,1,0"])
        #expect(bench.type("AT+QLARDRSP=\(messageID),13,19,1,0,1,0,\"\",0") == ["OK", "+QLARDRSP: 0"])
        #expect(bench.operationFailure(id) == .response(.notFound))
    }

    @Test func aWriteBecomesAURCAndTheTEsAnswerIsTheServersResult() throws {
        let bench = DeviceBench()
        Self.registered(bench)
        let (id, mid) = bench.serverDoes(.write(LwM2MPath(19, 1, 0), EncodedContent(format: .opaque, bytes: hex("5155454354454C"))))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100) == ["+QLAURC: \"write\",\(messageID),19,1,0,2,7,\"5155454354454C\",0"])
        #expect(bench.operationResult(id) == nil)
        #expect(bench.type("AT+QLAWRRSP=\(messageID),2") == ["OK", "+QLAWRRSP: 0"])
        #expect(bench.operationResult(id)?.code == .changed)

        // A text write prints as a string (the Andlink example's form).
        let (_, textMID) = bench.serverDoes(.write(LwM2MPath(19, 1, 0), EncodedContent(format: .textPlain, bytes: Array("{\"a\":\"1\"}".utf8))))
        let text = try #require(textMID)
        #expect(bench.run(for: 100) == ["+QLAURC: \"write\",\(text),19,1,0,1,9,\"{\"a\":\"1\"}\",0"])
    }

    @Test func anExecuteWaitsForAT_QLAEXERSP() throws {
        let bench = DeviceBench()
        Self.registered(bench)
        let (id, mid) = bench.serverDoes(.execute(LwM2MPath(19, 0, 0)))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100) == ["+QLAURC: \"execute\",\(messageID),19,0,0"])
        #expect(bench.type("AT+QLAEXERSP=\(messageID),14") == ["OK", "+QLAEXERSP: 0"])
        #expect(bench.operationFailure(id) == .response(.methodNotAllowed))
    }

    @Test func aSlowTEsAnswerFollowsAnEmptyACK() throws {
        let bench = DeviceBench()
        Self.registered(bench)
        let (id, mid) = bench.serverDoes(.read(LwM2MPath(19, 0, 0)))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100).count == 1)
        bench.run(for: 30_000)
        // The server did not retransmit: the module acknowledged after 1.5 s.
        let requests = bench.network.log.filter { $0.from == DeviceBench.serverAddress && (try? Message(decoding: $0.bytes))?.messageID == messageID }
        #expect(requests.count == 1)
        let emptyACK = try #require(bench.sentByDevice.first { $0.message.type == .acknowledgement && $0.message.messageID == messageID })
        #expect(emptyACK.message.code == .empty)
        #expect(bench.type("AT+QLARDRSP=\(messageID),1,19,0,0,3,4,1234,0") == ["OK", "+QLARDRSP: 0"])
        let response = try #require(bench.operationResult(id))
        #expect(response.content == EncodedContent(format: .textPlain, bytes: Array("1234".utf8)))
        let separate = try #require(bench.sentByDevice.last?.message)
        #expect(separate.type == .confirmable && separate.messageID != messageID)
    }

    @Test func autoAckAnswersTheObserveItselfAndStillPrintsTheURC() throws {
        let bench = DeviceBench()
        #expect(bench.type("AT+QLACFG=\"auto_ack\",1") == ["OK"])
        Self.registered(bench)
        let (id, mid) = bench.serverDoes(.observe(Self.data))
        let messageID = try #require(mid)
        #expect(bench.run(for: 100) == ["+QLAURC: \"observe\",\(messageID),0,19,0,0"])
        let response = try #require(bench.operationResult(id))
        #expect(response.code == .content && response.observe == 0 && response.content == nil)
        #expect(bench.type("AT+QLANOTIFY=19,0,0,2,1,\"01\",0,0") == ["OK", "+QLANOTIFY: 0"])
        #expect(bench.notifications(id).map(\.content) == [EncodedContent(format: .opaque, bytes: [1])])
    }
}

func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
        if let byte = UInt8(text[index..<next], radix: 16) { bytes.append(byte) }
        index = next
    }
    return bytes
}
