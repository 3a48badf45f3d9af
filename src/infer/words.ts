// A compact dictionary of real English words and common API vocabulary, written for Specter
// (no external word list). Path segments made of these words stay literal unless structural
// evidence says otherwise: `/users/settings`, `/orders/export` are endpoints, not values.

const WORDS = `
a about above abuse accept access accessibility account accounts accounting ack acknowledge acl action actions activate
activation active activity actor actors ad add addon address adjust adjustment admin administration administrator ads
advanced advertiser affiliate agent agents aggregate aggregation agreement ai alarm album alert alerts alias all allow
allowance alpha amount analysis analytics anchor announcement annual answer anonymous any app appeal append application
apply appointment approval approve approved apps archive archived area arg argument array article artifact artist asset assets
assign assignee assignment associate association async attach attachment attempt attendance attendee attribute audience
audio audit auth authenticate authentication author authority authorization authorize authorized auto autocomplete
automation availability available avatar average award away back backend background backup badge balance ban bank banner
bar base basic basket batch beacon before begin behavior benefit beta bill billing bin binary bind bio birth bit blob
block blocked blog blue board body book booking bookmark boolean boost boot bot both bounce box branch brand break bridge
brief broadcast browse browser bucket budget buffer bug build builder bulk bundle business button buy buyer by cache
calculate calendar call callback campaign cancel cancellation candidate capability capacity capture card cards career
carrier cart case cash catalog catalogue categories category cause center certificate chain challenge change changelog
changes channel chapter charge chart chat check checkin checkout checks child children choice circle city claim class
classic classification clean clear click client clients climate clip clone close closed cloud cluster code codes
collaborator collect collection color column command comment commit common community company compare comparison compile
complete completion compliance component compose compute condition config configuration confirm confirmation connect
connection connector consent console constraint consumer contact contacts container content context contract contribute
contributor control conversation conversion convert cookie copy core cost count counter country coupon course cover
coverage create created creator credential credentials credit criteria cron cross csv currencies currency current cursor
custom customer customers customize cycle daily dashboard data database dataset date day days deal debit debug decision
declare decline default define definition delegate delete deleted delivery demo deny department deploy deployment deposit
describe description design destination detail details detect developer device devices diagnostic diff digest direct
direction directory disable disabled discount discover discovery discussion dismiss dispatch display dispute distribution
dns doc docs document documents domain domains donate download downloads draft drafts drive driver drop dry due duplicate
duration dynamic each edge edit editor education effect email emails embed emergency employee employees empty enable
enabled encrypt end endpoint endpoints energy engine enroll enrollment enterprise entitlement entity entries entry
environment environments episode error errors escalation estimate evaluate event events evidence exam example exchange
exclude execute execution exercise exist exit expand expense expenses experience experiment expire expired explain
explore export exports expression extend extension external extra face facet factor failed failure family faq fast
favorite favorites feature featured features feed feedback fee fees fetch field fields file files filter filters final
finance find fingerprint finish firmware first fix flag flags fleet flight flow folder folders follow follower followers
following font food forecast fork form format forms forum forward frame free freeze frequency friend friends from front
fulfillment full function fund funding funds gallery game games gateway general generate generic geo get gift gist global
goal goals google grade grant graph grid group groups guest guide hash head header health heartbeat help hidden hide
history hold holiday home hook hooks host hosts hot hour hourly html http hub icon id identity ids image images impersonate
import imports impression in inbox incident include income index industry info information init initiate input insight
insights inspect install installation instance instances instant insurance integration integrations intent interaction
interest interface internal interval invitation invitations invite invites invoice invoices issue issuer issues item items
job jobs join journal json key keys keyword kind kit label labels language languages last latest launch layer layout lead
leader leaderboard leads learn lease leave ledger legal lesson level library license like likes limit limits line link
links list listing listings lists live load loan local locale location locations lock log login logout logs lookup loyalty
machine mail main maintenance manage manager manifest map maps mark market marketplace master match matches me media
meeting member members membership memberships memo menu merchant merge message messages meta metadata method methods
metric metrics migrate migration milestone mine mirror mobile mode model models moderation module monitor month monthly
more move movie music mute my name names namespace native nearby network new news newsletter next node nodes none note
notes notification notifications now number oauth object objects offer offers office offline old on onboarding one online
open operation operations option options order orders org organization organizations orgs origin other out outbox
outcome output overview owner owners package packages page pages paginate pair panel param parameter parameters parent
partner partners party pass password path patient pattern pause pay payee payment payments payout payouts pdf pending
people percent performance period permission permissions person personal pet pets phone photo photos pin ping pipeline
pipelines place plan plans platform play player playlist plugin plugins point points policies policy poll pool popular
port portal portfolio position post posts power preference preferences premium prepare preview price prices pricing
primary print priority privacy private process product production products profile profiles program progress project
projects promo promotion property proposal protect protected provider providers proxy public publish published pull
purchase purchases purge push query question questions queue quick quiz quota quote random range rank rate rating ratings
raw read reader readme ready realm reason receipt receive recent recipe recipient recommend recommendation record records
recover recovery recurring redeem redirect reference referral refresh refund refunds region register registration
registry reject related relation relationship release releases reload remind reminder remote remove render renew rent
reorder repair replace replay reply repo report reports repos repositories repository request requests require
reservation reserve reset resolve resource resources response rest restore result results resume retry return returns
revenue review reviews revoke reward rewards role roles room root rotate route routes rule rules run runner runs safe
sale sales sample sandbox save saved scan schedule schedules schema scope scopes score screen script search season seat
secret secrets section secure security seed segment select self sell seller send sender sent sequence series server
servers service session sessions set settings setup share shared shares shift ship shipment shipments shipping shop
short show sign signal signature signin signout signup similar simple site sites size skill skip slot small snapshot
social software sort source space spam spec split sponsor sport stack stage staging standard star stars start state
statement statements static station statistics stats status step stock stop storage store stores story strategy stream
submission submit subscribe subscriber subscription subscriptions subtask suggest suggestion summary supplier support
survey suspend swap switch symbol sync system table tag tags target task tasks tax taxes team teams template templates
tenant term terms test tests text theme thread threads threshold thumbnail ticket tickets tier time timeline timezone
tip title to today toggle token tokens tool tools top topic topics total tour trace track tracking trade traffic trail
train transaction transactions transcript transfer transfers transform translate translation trash tree trend trending
trial trigger trip trust tutorial type types unblock undo unfollow uninstall unique unit units unlink unlock unread
unsubscribe update updates upgrade upload uploads usage use user username users utility validate validation value values
variable variables variant variants vault vendor verification verify version versions video videos view viewer views
visibility visit visitor vote votes voucher wallet warehouse watch watchers weather web webhook webhooks week weekly
welcome widget widgets wiki window wish wishlist withdraw withdrawal word work worker workers workflow workflows
workspace workspaces write year yearly zone zones
able absolute academy across act actual adult advice after again against age agency ago air alive almost alone along
already also always among analyst animal another apart apple approach april art as ask assistant at attack attention
august aunt autumn avoid award aware baby bad bag ball band bar basis be bear beat beautiful bed beer begin behind being
believe bell best better between big bird black blind blood blow boat bone bonus born boss bottom bowl boy brain bread
breakfast bright bring brother brown brush build burn bus busy but buy cake camera camp can capital captain car care
carry castle cat catch cell central century chair chance cheap chief chicken chip church cinema citizen civil clock
coach coast coat coffee cold college comedy comfort corner correct cotton couple cousin cow crazy cream crime crowd cup
cut dance dark daughter dead dear death debt december deep deer degree dinner dirt doctor dog dollar door double down
dream dress drink drug dry duck dust duty each ear early earth east easy eat egg eight either else engineer enough equal
even evening ever every exact eye fact fair fall false famous far farm fat father fear february few fight figure fill
film fine finger fire fish five flat floor flower fly foot football for force forest forget fork four fox friday fruit
fun funny future garden gas gate gentle ghost giant girl give glad glass go god gold golf good great green ground grow
guard gun hair half hall hand happy hard hat have he heart heat heavy hello hero high hill him his hit hole honey hope
horse hospital hotel house how huge human hundred hunt husband ice idea ill inch inside iron island it its january
jazz jewel joke joy judge juice july jump june jungle just keep kick kid kill king kitchen knee knife know lady lake
lamp land large late laugh law lawyer lazy leaf learn left leg lemon less letter life lift light lion lip little long
look lord lose loss lot loud love low luck lunch magic man many march mark marriage matter may meal mean meat medium
meet middle milk million mind minute miss mix monday money monkey moon morning most mother mountain mouse mouth much
must nail narrow nation nature near neck need neither nest never nice night nine no noon north nose not nothing
november nurse ocean october off often oil ok okay old olive once only orange our over own page pain paint paper
parade park part past peace pen pencil pepper per piano picture pie piece pig pilot pink pipe pizza plane plant plastic
plate please pocket poem police poor potato pound prince prison prize proud pure purple put quarter queen quiet race
radio rain read real red rent rest rice rich ride right ring river road rock roof rose round row royal rubber run
sad salad salt same sand saturday school science sea second see seven shape sharp she sheep shell shirt shoe shoot
shop shot should shoulder side silver since sing sister sit six skin sky sleep slow smart smile smoke snake snow so soft
soldier some son song soon sound soup south speak special speed spoon spring square stair steel stick still stone storm
strange street strong student study sugar summer sun sunday sweet swim tail take talk tall taste tea teacher teeth tell
ten than thank that the then there thick thin thing think three through thursday ticket tiger tiny tired together
tomorrow tonight tooth town toy travel tree true try tuesday turn twelve twenty two ugly uncle under up upon us very
village voice wait walk wall want war warm wash water wave way we wear wedding wednesday well west wet what wheel when
where white who why wide wife wild will win wind wine winter wise with without woman wood wool world worry wrong yard
yellow yes yesterday you young zero
flush restart rebuild reindex resend recalculate reprocess unarchive unpublish unassign reopen rerun retrigger
resync deactivate reactivate regenerate rollback checkpoint healthz livez readyz whoami
android cli cloudflare cpu csrf css dev disk docker github gitlab gpu graphql grpc ios iot java javascript jwt k8s
kubernetes linux mac macos npm openapi os pypi python ram react redis rss ruby rust saml sdk sms sql ssh sso ssl svg
swagger tcp tls udp ui uri url ux vpn websocket windows xml yaml
`

const SET: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0))

/** Extensions that do not change what a segment names (`export.csv` is the word `export`). */
const EXTENSION = /\.(json|xml|csv|tsv|txt|pdf|html?|ya?ml|zip|png|jpe?g|gif|svg|ics|rss|atom|md|xlsx?)$/i

/** Number of dictionary words in the set (for tests and docs). */
export const WORD_COUNT = SET.size

function isWordToken(token: string): boolean {
  const w = token.toLowerCase()
  if (SET.has(w)) return true
  // Plural and inflected forms of listed words: users -> user, categories -> category, tagged -> tag.
  if (w.length > 3 && w.endsWith('ies') && SET.has(`${w.slice(0, -3)}y`)) return true
  if (w.length > 2 && w.endsWith('s') && SET.has(w.slice(0, -1))) return true
  if (w.length > 3 && w.endsWith('es') && SET.has(w.slice(0, -2))) return true
  if (w.length > 3 && w.endsWith('ed') && (SET.has(w.slice(0, -2)) || SET.has(w.slice(0, -1)))) return true
  if (w.length > 4 && w.endsWith('ing') && (SET.has(w.slice(0, -3)) || SET.has(`${w.slice(0, -3)}e`))) return true
  return false
}

/** Splits `payment-methods`, `access_tokens`, `exportCsv` into their word tokens (at most 64 chars looked at). */
export function wordTokens(segment: string): string[] {
  const s = segment.length > 64 ? segment.slice(0, 64) : segment
  return s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[-_. ~]/)
    .filter((t) => t.length > 0)
}

/** True when a path segment is one dictionary word, ignoring a file extension (`export.csv`). */
export function isDictionaryWord(segment: string): boolean {
  if (segment.length > 48) return false
  const stem = segment.replace(EXTENSION, '')
  return /^[A-Za-z]{1,40}$/.test(stem) && isWordToken(stem)
}

/**
 * True when a path segment reads as words: one dictionary word, or up to four dictionary words
 * joined by `-`, `_` or camelCase (`payment-methods`, `exportCsv`), with an optional extension.
 */
export function isWordLike(segment: string): boolean {
  if (segment.length > 72) return false
  const stem = segment.replace(EXTENSION, '')
  if (stem.length === 0 || stem.length > 64 || !/^[A-Za-z][A-Za-z_-]*$/.test(stem)) return false
  const tokens = wordTokens(stem)
  return tokens.length > 0 && tokens.length <= 4 && tokens.every(isWordToken)
}
