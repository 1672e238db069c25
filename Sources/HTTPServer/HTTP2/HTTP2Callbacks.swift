import CNghttp2

/// The nghttp2 callbacks: C function pointers that find their `HTTP2Session` through the
/// user-data pointer and forward to it. They run inside `mem_recv`/`mem_send`, on the
/// connection's I/O queue.
enum HTTP2Callbacks {
    static func install(on callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, user in
            guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
                  frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST else { return 0 }
            owningSession(user).beginStream(frame.pointee.hd.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, user in
            guard let frame, let name, let value else { return 0 }
            owningSession(user).receivedHeader(stream: frame.pointee.hd.stream_id,
                                         name: UnsafeBufferPointer(start: name, count: nameLength),
                                         value: UnsafeBufferPointer(start: value, count: valueLength))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            guard let frame else { return 0 }
            let header = frame.pointee.hd
            let endStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            switch header.type {
            case UInt8(NGHTTP2_HEADERS.rawValue):
                owningSession(user).receivedHeaders(stream: header.stream_id, endStream: endStream)
            case UInt8(NGHTTP2_DATA.rawValue):
                if endStream { owningSession(user).requestEnded(stream: header.stream_id) }
            case UInt8(NGHTTP2_RST_STREAM.rawValue):
                owningSession(user).receivedReset()
            default:
                break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, user in
            guard let data else { return 0 }
            owningSession(user).receivedBody(stream: streamID, UnsafeBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, user in
            owningSession(user).streamClosed(streamID, errorCode: errorCode)
            return 0
        }
    }

    /// The data provider of every response body: copies pending bytes into the frame,
    /// defers when there are none yet, ends the stream (or sends trailers) at the end.
    static let readResponseBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, user in
        guard let buffer, let flags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
        return owningSession(user).readResponseBody(stream: streamID, into: buffer, max: length, flags: flags)
    }
}

/// The session a callback's user-data pointer stands for (a free function: C callbacks
/// cannot capture context, not even a type).
private func owningSession(_ user: UnsafeMutableRawPointer?) -> HTTP2Session {
    Unmanaged<HTTP2Session>.fromOpaque(user!).takeUnretainedValue()
}
