// WebTorrent imports this module at load time but only touches it when it opens a WebRTC
// connection. Swarmdrop speaks plain TCP on a LAN, so every use is a programming error.
const message =
  'WebRTC is not available in Swarmdrop: peers connect over TCP on the LAN (webrtc-polyfill is replaced on purpose)'

class Unavailable {
  constructor () { throw new Error(message) }
}

export const RTCPeerConnection = Unavailable
export const RTCSessionDescription = Unavailable
export const RTCIceCandidate = Unavailable
export const RTCDataChannel = Unavailable
export const MediaStream = Unavailable
export const MediaStreamTrack = Unavailable
export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate, RTCDataChannel, MediaStream, MediaStreamTrack }
