// What a distribution is called in a sentence: a folder of segments is not "the file".
import type { Distribution } from '../../../preload/api.js'

export function contentNoun (dist: Pick<Distribution, 'isFolder'>): 'file' | 'folder' {
  return dist.isFolder ? 'folder' : 'file'
}
