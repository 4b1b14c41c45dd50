/**
 * A voice note recorded on the form (MediaRecorder: audio/webm, or audio/mp4 where that is what the
 * browser records), kept in the draft (IndexedDB) like the photo and uploaded after registration.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n.js';

const TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4'];
const recordable = () => typeof MediaRecorder !== 'undefined' && TYPES.some((type) => MediaRecorder.isTypeSupported(type));
const extensionOf = (type: string) => (type.startsWith('audio/mp4') ? 'm4a' : 'webm');

export function VoiceNote(props: { voice: Blob | null; onChange: (voice: Blob | null, name: string | null) => void }) {
  const [recorder, setRecorder] = useState<MediaRecorder | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const chunks = useRef<Blob[]>([]);
  useEffect(() => {
    if (!props.voice) return setUrl(null);
    const made = URL.createObjectURL(props.voice);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [props.voice]);
  if (!recordable()) return null;
  const start = async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const mimeType = TYPES.find((type) => MediaRecorder.isTypeSupported(type))!;
      const next = new MediaRecorder(stream, { mimeType });
      chunks.current = [];
      next.ondataavailable = (e) => { if (e.data.size) chunks.current.push(e.data); };
      next.onstop = () => {
        stream.getTracks().forEach((track) => track.stop());
        const type = next.mimeType.split(';')[0] || 'audio/webm';
        props.onChange(new Blob(chunks.current, { type }), `voice-note.${extensionOf(type)}`);
        setRecorder(null);
      };
      next.start();
      setRecorder(next);
      setError(null);
    } catch {
      setError(t('noMicrophone'));
    }
  };
  return (
    <div class={`field voice-note${error ? ' invalid' : ''}`} role="group" aria-labelledby="voice-label">
      <span class="label" id="voice-label">{t('voiceNote')}{t('optional')}</span>
      <div class="muted">{t('voiceHelp')}</div>
      <div class="actions">
        {recorder
          ? <button type="button" onClick={() => recorder.stop()}>{t('stopRecording')}</button>
          : <button type="button" class="secondary" onClick={() => void start()}>{t('recordVoice')}</button>}
        {recorder ? <span role="status">{t('recording')}</span> : null}
      </div>
      {url ? (
        <div class="voice-preview">
          <audio controls src={url} aria-label={t('voiceNote')} />
          <button type="button" class="secondary small" onClick={() => props.onChange(null, null)}>{t('removeVoice')}</button>
        </div>
      ) : null}
      {error ? <div class="error" role="alert">{error}</div> : null}
    </div>
  );
}
