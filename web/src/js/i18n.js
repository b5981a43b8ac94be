// Texts of the dashboard in Bahasa Indonesia (the default) and English.
// `t(key, vars)` looks a key up in the chosen language; `{name}` in a text is
// replaced by vars.name. The choice is kept in the browser's storage.

const texts = {
  id: {
    'nav.overview': 'Ikhtisar', 'nav.listings': 'Penawaran & kebutuhan',
    'nav.report': 'Laporan penyaluran', 'nav.proposals': 'Usulan',
    'nav.curation': 'Kurasi', 'nav.feed': 'Notifikasi',
    'signin.title': 'Masuk ke jalin',
    'signin.help': 'Tempel token akses Anda. Untuk pengembangan, `deploy/dev.sh up` mencetak token admin (juga di var/dev-token); token lain dibuat dengan `jalinctl token --role facilitator --regions 33.13`.',
    'signin.token': 'Token', 'signin.submit': 'Masuk', 'signin.out': 'Keluar',
    'signin.bad': 'Token ini tidak dapat dibaca. Salin seluruh token (tiga bagian dipisah titik).',
    'signin.expired': 'Token ini sudah kedaluwarsa. Minta token baru.',
    'who.all': 'semua wilayah',
    'role.admin': 'admin', 'role.facilitator': 'fasilitator', 'role.integrator': 'integrator',
    'role.member': 'anggota', 'role.curator': 'kurator', 'role.viewer': 'pengamat', 'role.service': 'layanan',
    'live.live': 'Langsung', 'live.connecting': 'Menghubungkan…', 'live.retrying': 'Menyambung ulang…',
    'live.off': 'Terputus',
    'common.province': 'Provinsi', 'common.regency': 'Kabupaten/kota', 'common.all': '— semua —',
    'common.show': 'Tampilkan', 'common.more': 'Muat lagi', 'common.loading': 'Memuat…',
    'common.none': 'Tidak ada data.', 'common.total': '{n} total', 'common.region': 'Wilayah',
    'common.state': 'Status', 'common.print': 'Cetak',
    'overview.title': 'Ikhtisar UMKM dan klaster', 'overview.enterprises': 'UMKM',
    'overview.clusters': 'Klaster', 'overview.members': 'Anggota klaster',
    'overview.partners': 'Mitra', 'overview.offers': 'Penawaran terbuka', 'overview.needs': 'Kebutuhan terbuka',
    'overview.byProvince': 'Per provinsi', 'overview.byRegency': 'Per kabupaten/kota',
    'listings.title': 'Cari penawaran dan kebutuhan', 'listings.kind': 'Jenis',
    'listings.offer': 'Penawaran', 'listings.need': 'Kebutuhan', 'listings.category': 'Kategori (mis. categories/jahe)',
    'listings.status': 'Status', 'listings.titleCol': 'Judul', 'listings.owner': 'Pemilik',
    'listings.quantity': 'Jumlah',
    'report.title': 'Laporan penyaluran antar wilayah', 'report.a': 'Wilayah A (kabupaten/kota)',
    'report.b': 'Wilayah B (kabupaten/kota atau provinsi)', 'report.generate': 'Buat laporan',
    'report.summary': '{n} peluang: {ab} dari A ke B, {ba} dari B ke A.',
    'report.strength': 'kekuatan {s}', 'report.propose': 'Usulkan',
    'report.proposed': 'Usulan dibuat: {name}', 'report.needA': 'Pilih kabupaten/kota untuk wilayah A.',
    'report.needB': 'Pilih wilayah B.', 'report.complementarity': 'keterkaitan sektor',
    'report.generated': 'Dibuat {time}',
    'proposals.title': 'Usulan kerja sama', 'proposals.funnel': 'Corong usulan',
    'proposals.proposed': 'Diusulkan', 'proposals.accepted': 'Diterima (sebagian)', 'proposals.agreed': 'Disepakati',
    'proposals.declined': 'Ditolak', 'proposals.expired': 'Kedaluwarsa', 'proposals.completed': 'Selesai',
    'proposals.value': 'Nilai disepakati', 'proposals.km': 'Jarak dihemat (km)',
    'proposals.supplier': 'Pemasok', 'proposals.buyer': 'Pembeli', 'proposals.score': 'Skor',
    'proposals.actions': 'Tindakan', 'proposals.accept': 'Terima sbg {side}', 'proposals.decline': 'Tolak sbg {side}',
    'proposals.answered': 'Jawaban tersimpan.',
    'state.PROPOSED': 'diusulkan', 'state.PARTIALLY_ACCEPTED': 'diterima sebagian', 'state.AGREED': 'disepakati',
    'state.DECLINED': 'ditolak', 'state.EXPIRED': 'kedaluwarsa', 'state.COMPLETED': 'selesai',
    'curation.title': 'Kemajuan kampanye kurasi', 'curation.campaign': 'Kampanye',
    'curation.submitted': 'Diajukan', 'curation.reviewed': 'Selesai dinilai', 'curation.pending': 'Penilaian tertunda',
    'curation.passed': 'Lulus', 'curation.waitlisted': 'Daftar tunggu', 'curation.failed': 'Tidak lulus',
    'feed.title': 'Notifikasi langsung', 'feed.follow': 'Ikuti usulan dan kurasi di wilayah saya',
    'feed.subscriptions': 'Langganan', 'feed.noSubscriptions': 'Belum ada langganan: Anda hanya menerima notifikasi yang ditujukan langsung kepada Anda.',
    'feed.delete': 'Hapus', 'feed.markAll': 'Tandai semua sudah dibaca', 'feed.empty': 'Belum ada notifikasi.',
    'feed.new': '{n} baru',
    'error.generic': 'Permintaan gagal ({status}).', 'error.network': 'Server tidak dapat dihubungi. Periksa koneksi lalu coba lagi.',
    'error.400': 'Ada isian yang perlu diperbaiki.', 'error.401': 'Sesi Anda tidak berlaku lagi. Silakan masuk kembali.',
    'error.403': 'Anda tidak berwenang melakukan ini (di luar peran atau wilayah Anda).',
    'error.404': 'Data tidak ditemukan.', 'error.409': 'Data sudah ada atau telah diubah orang lain. Muat ulang lalu coba lagi.',
    'error.429': 'Terlalu banyak permintaan. Coba lagi dalam {retry} detik.',
    'error.503': 'Layanan sedang tidak tersedia. Coba lagi sebentar lagi.',
    'error.504': 'Layanan terlalu lama menjawab. Coba lagi.',
  },
  en: {
    'nav.overview': 'Overview', 'nav.listings': 'Offers & needs',
    'nav.report': 'Channeling report', 'nav.proposals': 'Proposals',
    'nav.curation': 'Curation', 'nav.feed': 'Notifications',
    'signin.title': 'Sign in to jalin',
    'signin.help': 'Paste your access token. In development, `deploy/dev.sh up` prints an admin token (also in var/dev-token); mint others with `jalinctl token --role facilitator --regions 33.13`.',
    'signin.token': 'Token', 'signin.submit': 'Sign in', 'signin.out': 'Sign out',
    'signin.bad': 'This token cannot be read. Copy the whole token (three parts separated by dots).',
    'signin.expired': 'This token has expired. Ask for a new one.',
    'who.all': 'all regions',
    'role.admin': 'admin', 'role.facilitator': 'facilitator', 'role.integrator': 'integrator',
    'role.member': 'member', 'role.curator': 'curator', 'role.viewer': 'viewer', 'role.service': 'service',
    'live.live': 'Live', 'live.connecting': 'Connecting…', 'live.retrying': 'Reconnecting…', 'live.off': 'Disconnected',
    'common.province': 'Province', 'common.regency': 'Regency/city', 'common.all': '— all —',
    'common.show': 'Show', 'common.more': 'Load more', 'common.loading': 'Loading…',
    'common.none': 'No data.', 'common.total': '{n} in total', 'common.region': 'Region',
    'common.state': 'State', 'common.print': 'Print',
    'overview.title': 'UMKM and clusters at a glance', 'overview.enterprises': 'UMKM',
    'overview.clusters': 'Clusters', 'overview.members': 'Cluster members',
    'overview.partners': 'Partners', 'overview.offers': 'Open offers', 'overview.needs': 'Open needs',
    'overview.byProvince': 'By province', 'overview.byRegency': 'By regency/city',
    'listings.title': 'Search offers and needs', 'listings.kind': 'Kind',
    'listings.offer': 'Offer', 'listings.need': 'Need', 'listings.category': 'Category (e.g. categories/jahe)',
    'listings.status': 'Status', 'listings.titleCol': 'Title', 'listings.owner': 'Owner',
    'listings.quantity': 'Quantity',
    'report.title': 'Channeling report between regions', 'report.a': 'Region A (regency/city)',
    'report.b': 'Region B (regency/city or province)', 'report.generate': 'Generate report',
    'report.summary': '{n} opportunities: {ab} from A to B, {ba} from B to A.',
    'report.strength': 'strength {s}', 'report.propose': 'Propose',
    'report.proposed': 'Proposal created: {name}', 'report.needA': 'Choose a regency/city for region A.',
    'report.needB': 'Choose region B.', 'report.complementarity': 'sector link',
    'report.generated': 'Generated {time}',
    'proposals.title': 'Cooperation proposals', 'proposals.funnel': 'Proposal funnel',
    'proposals.proposed': 'Proposed', 'proposals.accepted': 'Accepted (one side)', 'proposals.agreed': 'Agreed',
    'proposals.declined': 'Declined', 'proposals.expired': 'Expired', 'proposals.completed': 'Completed',
    'proposals.value': 'Value agreed', 'proposals.km': 'Distance saved (km)',
    'proposals.supplier': 'Supplier', 'proposals.buyer': 'Buyer', 'proposals.score': 'Score',
    'proposals.actions': 'Actions', 'proposals.accept': 'Accept as {side}', 'proposals.decline': 'Decline as {side}',
    'proposals.answered': 'Answer saved.',
    'state.PROPOSED': 'proposed', 'state.PARTIALLY_ACCEPTED': 'partly accepted', 'state.AGREED': 'agreed',
    'state.DECLINED': 'declined', 'state.EXPIRED': 'expired', 'state.COMPLETED': 'completed',
    'curation.title': 'Curation campaign progress', 'curation.campaign': 'Campaign',
    'curation.submitted': 'Submitted', 'curation.reviewed': 'Fully reviewed', 'curation.pending': 'Reviews pending',
    'curation.passed': 'Passed', 'curation.waitlisted': 'Waitlisted', 'curation.failed': 'Failed',
    'feed.title': 'Live notifications', 'feed.follow': 'Follow proposals and curation in my regions',
    'feed.subscriptions': 'Subscriptions', 'feed.noSubscriptions': 'No subscriptions yet: you only receive notifications addressed to you.',
    'feed.delete': 'Delete', 'feed.markAll': 'Mark all as read', 'feed.empty': 'No notifications yet.',
    'feed.new': '{n} new',
    'error.generic': 'The request failed ({status}).', 'error.network': 'The server cannot be reached. Check the connection and try again.',
    'error.400': 'Some fields need fixing.', 'error.401': 'Your session is no longer valid. Please sign in again.',
    'error.403': 'You are not allowed to do this (outside your role or regions).',
    'error.404': 'Not found.', 'error.409': 'It already exists or someone else changed it. Reload and try again.',
    'error.429': 'Too many requests. Try again in {retry} seconds.',
    'error.503': 'The service is unavailable right now. Try again shortly.',
    'error.504': 'The service took too long to answer. Try again.',
  },
};

// (Guarded so that the module also loads outside a browser, in unit tests.)
let lang = globalThis.localStorage?.getItem('jalin.lang') === 'en' ? 'en' : 'id';

export function language() {
  return lang;
}

export function setLanguage(l) {
  lang = l === 'en' ? 'en' : 'id';
  globalThis.localStorage?.setItem('jalin.lang', lang);
  if (globalThis.document) document.documentElement.lang = lang;
}

export function t(key, vars = {}) {
  const text = texts[lang][key] ?? texts.id[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

// The text of a LocalizedText ({id, en}) or of a pair of fields, in the
// chosen language, falling back to the other one.
export function pick(idText, enText) {
  return (lang === 'en' ? enText || idText : idText || enText) || '';
}

export function formatNumber(n) {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID').format(Number(n ?? 0));
}

export function formatTime(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID',
                                 { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export const allTexts = texts;
